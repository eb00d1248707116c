package org.recursa.engine.kernel;

/**
 * Layer normalisation over the rows of a (rows, cols) float array, {@code y = (x - mean) rstd gamma + beta},
 * forward and backward in one pass over each row.
 *
 * <p>Each row is copied into a small buffer first: the JIT (JDK 17) vectorises a loop only when every array in
 * it is indexed with the same offset, and {@code x[o + c] * gamma[c]} mixes two; the copies cost less than the
 * scalar loop would.
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
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            System.arraycopy(x, o, row, 0, cols);
            float m = Reductions.sum(row, 0, cols) / cols;
            float rs = (float) (1 / Math.sqrt(Reductions.sumOfSquaredDeviations(row, 0, cols, m) / cols + eps));
            mean[r] = m;
            rstd[r] = rs;
            if (beta == null) {
                for (int c = 0; c < cols; c++) {
                    row[c] = (row[c] - m) * rs * gamma[c];
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    row[c] = (row[c] - m) * rs * gamma[c] + beta[c];
                }
            }
            System.arraycopy(row, 0, y, o, cols);
        }
    }

    /**
     * {@code dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))} with {@code dxhat = dy gamma}; adds the
     * column sums of {@code dy xhat} and {@code dy} into {@code dgamma} and {@code dbeta}.
     *
     * @param dx     output, or null when x needs no gradient
     * @param dgamma accumulated into (cols)
     * @param dbeta  accumulated into (cols), or null when there is no bias
     */
    public static void backward(float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd, float[] dx,
                                float[] dgamma, float[] dbeta, int rows, int cols) {
        float[] xhat = new float[cols];
        float[] dyRow = new float[cols];
        float[] dxhat = new float[cols];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float m = mean[r];
            float rs = rstd[r];
            System.arraycopy(x, o, xhat, 0, cols);
            System.arraycopy(dy, o, dyRow, 0, cols);
            for (int c = 0; c < cols; c++) {
                float h = (xhat[c] - m) * rs;
                xhat[c] = h;
                dxhat[c] = dyRow[c] * gamma[c];
                dgamma[c] += dyRow[c] * h;
            }
            if (dbeta != null) {
                for (int c = 0; c < cols; c++) {
                    dbeta[c] += dyRow[c];
                }
            }
            if (dx != null) {
                float meanD = Reductions.sum(dxhat, 0, cols) / cols;
                float meanDx = Reductions.dot(dxhat, xhat, cols) / cols;
                for (int c = 0; c < cols; c++) {
                    dxhat[c] = rs * (dxhat[c] - meanD - xhat[c] * meanDx);
                }
                System.arraycopy(dxhat, 0, dx, o, cols);
            }
        }
    }
}
