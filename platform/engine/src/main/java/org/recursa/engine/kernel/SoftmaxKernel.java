package org.recursa.engine.kernel;

/**
 * Row-wise softmax of attention scores under an additive mask, and its backward pass fused with the score scale.
 * Rows are staged in small buffers so that the JIT vectorises the loops (see {@link LayerNormKernel}).
 */
public final class SoftmaxKernel {

    // Below this, exp(x) < 1.4e-7 of the row's largest term and counts as zero; it is also where the tanh below
    // reaches its clamp, so masked scores (about -1e9) come out exactly 0 as they do from a true exp.
    private static final float CUTOFF = 15.8f;

    private SoftmaxKernel() {
    }

    /**
     * {@code p = softmax(s + mask)} over the last axis of the (B, H, T, T) scores, in place.
     *
     * @param mask (B, T, T), shared by the heads, or null
     */
    public static void forward(float[] scores, float[] mask, int batch, int heads, int length) {
        float[] row = new float[length];
        float[] maskRow = new float[length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < length; i++) {
                    int o = ((b * heads + h) * length + i) * length;
                    System.arraycopy(scores, o, row, 0, length);
                    if (mask != null) {
                        System.arraycopy(mask, (b * length + i) * length, maskRow, 0, length);
                        for (int j = 0; j < length; j++) {
                            row[j] += maskRow[j];
                        }
                    }
                    normalise(row, length);
                    System.arraycopy(row, 0, scores, o, length);
                }
            }
        }
    }

    private static void normalise(float[] row, int length) {
        float max = row[0];
        for (int j = 1; j < length; j++) {
            max = Math.max(max, row[j]);
        }
        for (int j = 0; j < length; j++) {
            row[j] = expNonPositive(row[j] - max);
        }
        float inverse = 1 / Reductions.sum(row, 0, length);
        for (int j = 0; j < length; j++) {
            row[j] *= inverse;
        }
    }

    /**
     * {@code exp(x)} for {@code x <= 0} as {@code (1 + tanh(x/2)) / (1 - tanh(x/2))}, with only arithmetic the JIT
     * vectorises (JDK 17 does not vectorise {@link Math#exp} or the float-to-bits steps of the usual range
     * reduction); absolute error below 1e-6, and 0 below {@code -CUTOFF}.
     */
    static float expNonPositive(float x) {
        float t = Tanh.of(0.5f * x);
        float keep = Math.min(1f, Math.max(0f, (x + CUTOFF) * 1e30f));
        return keep * (1 + t) / (1 - t);
    }

    /**
     * {@code ds = scale * p * (dp - sum_j dp_j p_j)} per row, written over {@code dp}.
     *
     * @param p  softmax output (rows, cols)
     * @param dp gradient of the output (rows, cols); replaced by the gradient of the scaled input
     */
    public static void backward(float[] p, float[] dp, int rows, int cols, float scale) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += dp[o + c] * p[o + c];
            }
            for (int c = 0; c < cols; c++) {
                dp[o + c] = scale * p[o + c] * (dp[o + c] - dot);
            }
        }
    }
}
