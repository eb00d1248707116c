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

    /** {@code y = gelu(x)}, streamed a chunk at a time. */
    public static void forward(HeapFloats.Region x, HeapFloats.Region y) {
        float[] xs = HeapFloats.slot(0, HeapFloats.CHUNK);
        float[] ys = HeapFloats.slot(1, HeapFloats.CHUNK);
        for (int from = 0; from < x.length(); from += HeapFloats.CHUNK) {
            int n = Math.min(HeapFloats.CHUNK, x.length() - from);
            x.get(from, xs, n);
            forward(xs, ys, n);
            y.put(from, ys, n);
        }
    }

    /** {@code dx = dy gelu'(x)}, streamed a chunk at a time. */
    public static void backward(HeapFloats.Region x, HeapFloats.Region dy, HeapFloats.Region dx) {
        float[] xs = HeapFloats.slot(0, HeapFloats.CHUNK);
        float[] dys = HeapFloats.slot(1, HeapFloats.CHUNK);
        float[] dxs = HeapFloats.slot(2, HeapFloats.CHUNK);
        float[] t = HeapFloats.slot(3, HeapFloats.CHUNK);
        for (int from = 0; from < x.length(); from += HeapFloats.CHUNK) {
            int n = Math.min(HeapFloats.CHUNK, x.length() - from);
            x.get(from, xs, n);
            dy.get(from, dys, n);
            backward(xs, dys, dxs, t, n);
            dx.put(from, dxs, n);
        }
    }

    /**
     * @param x input
     * @param y output, {@code 0.5 x (1 + tanh(u))}
     */
    static void forward(float[] x, float[] y, int n) {
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
    static void backward(float[] x, float[] dy, float[] dx, float[] t, int n) {
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
