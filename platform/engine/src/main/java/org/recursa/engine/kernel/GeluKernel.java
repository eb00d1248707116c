package org.recursa.engine.kernel;

/**
 * GELU in its tanh form, {@code y = 0.5 x (1 + tanh(u))} with {@code u = sqrt(2/pi) (x + 0.044715 x^3)}, forward
 * and backward in one pass each over float arrays.
 */
public final class GeluKernel {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float CUBIC = 0.044715f;

    private GeluKernel() {
    }

    /**
     * @param x input
     * @param y output, {@code 0.5 x (1 + tanh(u))}
     */
    public static void forward(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            y[i] = 0.5f * v * (1 + Tanh.of(SQRT_2_OVER_PI * (v + CUBIC * v * v * v)));
        }
    }

    /**
     * {@code dx = dy (0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2))} with {@code t = tanh(u)}
     * recomputed from x, which is cheaper than storing t in the forward pass and copying it back.
     *
     * @param t scratch of at least n floats
     */
    public static void backward(float[] x, float[] dy, float[] dx, float[] t, int n) {
        // Two loops: with the tanh inside the derivative loop the body grows past what the JIT vectorises.
        for (int i = 0; i < n; i++) {
            float v = x[i];
            t[i] = Tanh.of(SQRT_2_OVER_PI * (v + CUBIC * v * v * v));
        }
        for (int i = 0; i < n; i++) {
            float v = x[i];
            float th = t[i];
            float du = SQRT_2_OVER_PI * (1 + 3 * CUBIC * v * v);
            dx[i] = dy[i] * (0.5f * (1 + th) + 0.5f * v * (1 - th * th) * du);
        }
    }
}
