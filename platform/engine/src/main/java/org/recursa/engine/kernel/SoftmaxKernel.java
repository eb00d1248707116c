package org.recursa.engine.kernel;

/** The backward pass of a row-wise softmax, fused with the scale that was applied before it. */
public final class SoftmaxKernel {

    private SoftmaxKernel() {
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
