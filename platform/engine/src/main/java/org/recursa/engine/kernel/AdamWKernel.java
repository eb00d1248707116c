package org.recursa.engine.kernel;

/** One AdamW update of one float parameter, in a single pass over its values, gradient and moments. */
public final class AdamWKernel {

    private AdamWKernel() {
    }

    /**
     * {@code g' = clip g; m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2; p = p decay - step m / (sqrt(v / c2) + eps)}
     * with {@code decay = 1 - lr wd} and {@code step = lr / c1}.
     *
     * @param decay       the decoupled weight-decay factor (1 for none)
     * @param stepSize    the learning rate divided by the first-moment bias correction
     * @param correction2 the second-moment bias correction {@code 1 - b2^t}
     */
    public static void update(float[] p, float[] g, float[] m, float[] v, int n, float clip, float beta1, float beta2,
                              float eps, float decay, float stepSize, float correction2) {
        float inverseCorrection2 = 1 / correction2;
        for (int i = 0; i < n; i++) {
            float grad = g[i] * clip;
            float mi = beta1 * m[i] + (1 - beta1) * grad;
            float vi = beta2 * v[i] + (1 - beta2) * grad * grad;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * decay - stepSize * mi / ((float) Math.sqrt(vi * inverseCorrection2) + eps);
        }
    }
}
