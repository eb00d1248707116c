package org.recursa.engine.kernel;

/**
 * Layer normalisation over the rows of a (rows, cols) float array, {@code y = (x - mean) rstd gamma + beta},
 * forward and backward in one pass over each row. Row statistics are summed in double.
 */
public final class LayerNormKernel {

    private LayerNormKernel() {
    }

    /**
     * @param beta  may be null
     * @param mean  output, per row, kept for the backward pass
     * @param rstd  output, {@code 1 / sqrt(var + eps)} per row, kept for the backward pass
     */
    public static void forward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                               int rows, int cols, double eps) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += x[o + c];
            }
            float m = (float) (sum / cols);
            double squares = 0;
            for (int c = 0; c < cols; c++) {
                float d = x[o + c] - m;
                squares += d * d;
            }
            float rs = (float) (1 / Math.sqrt(squares / cols + eps));
            mean[r] = m;
            rstd[r] = rs;
            for (int c = 0; c < cols; c++) {
                y[o + c] = (x[o + c] - m) * rs * gamma[c];
            }
            if (beta != null) {
                for (int c = 0; c < cols; c++) {
                    y[o + c] += beta[c];
                }
            }
        }
    }

    /**
     * {@code dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))} with {@code dxhat = dy gamma}; adds the
     * column sums of {@code dy xhat} and {@code dy} into {@code dgamma} and {@code dbeta}.
     *
     * @param dx     output, or null when x needs no gradient
     * @param dgamma accumulated into, or null
     * @param dbeta  accumulated into, or null
     * @param xhat   scratch of at least {@code cols} floats
     */
    public static void backward(float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd, float[] dx,
                                float[] dgamma, float[] dbeta, float[] xhat, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float m = mean[r];
            float rs = rstd[r];
            double sumD = 0;
            double sumDx = 0;
            for (int c = 0; c < cols; c++) {
                float h = (x[o + c] - m) * rs;
                float d = dy[o + c] * gamma[c];
                xhat[c] = h;
                sumD += d;
                sumDx += d * h;
            }
            if (dgamma != null) {
                for (int c = 0; c < cols; c++) {
                    dgamma[c] += dy[o + c] * xhat[c];
                }
            }
            if (dbeta != null) {
                for (int c = 0; c < cols; c++) {
                    dbeta[c] += dy[o + c];
                }
            }
            if (dx != null) {
                float meanD = (float) (sumD / cols);
                float meanDx = (float) (sumDx / cols);
                for (int c = 0; c < cols; c++) {
                    dx[o + c] = rs * (dy[o + c] * gamma[c] - meanD - xhat[c] * meanDx);
                }
            }
        }
    }
}
