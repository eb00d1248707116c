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
     * Streams the (rows, cols) array {@code x} into {@code y} a few rows at a time.
     *
     * @param beta  may be null
     * @param mean  output, per row, kept for the backward pass
     * @param rstd  output, {@code 1 / sqrt(var + eps)} per row, kept for the backward pass
     */
    public static void forward(HeapFloats.Region x, float[] gamma, float[] beta, HeapFloats.Region y, float[] mean,
                               float[] rstd, int rows, int cols, double eps) {
        int chunkRows = HeapFloats.rowsPerChunk(cols);
        float[] xs = HeapFloats.slot(0, (long) chunkRows * cols);
        float[] ys = HeapFloats.slot(3, (long) chunkRows * cols);
        for (int first = 0; first < rows; first += chunkRows) {
            int n = Math.min(chunkRows, rows - first);
            x.get(first * cols, xs, n * cols);
            forward(xs, gamma, beta, ys, mean, rstd, first, n, cols, eps);
            y.put(first * cols, ys, n * cols);
        }
    }

    /**
     * The residual sum and its norm in one pass: {@code s = a + b} into {@code s}, then {@link #forward} of s into
     * {@code y}, a few rows at a time, so that s is normalised while it is still in cache.
     */
    public static void forwardSum(HeapFloats.Region a, HeapFloats.Region b, float[] gamma, float[] beta,
                                  HeapFloats.Region s, HeapFloats.Region y, float[] mean, float[] rstd, int rows,
                                  int cols, double eps) {
        int chunkRows = HeapFloats.rowsPerChunk(cols);
        float[] xs = HeapFloats.slot(0, (long) chunkRows * cols);
        float[] ys = HeapFloats.slot(3, (long) chunkRows * cols);
        float[] bs = HeapFloats.slot(4, (long) chunkRows * cols);
        for (int first = 0; first < rows; first += chunkRows) {
            int n = Math.min(chunkRows, rows - first);
            a.get(first * cols, xs, n * cols);
            b.get(first * cols, bs, n * cols);
            for (int i = 0; i < n * cols; i++) {
                xs[i] += bs[i];
            }
            s.put(first * cols, xs, n * cols);
            forward(xs, gamma, beta, ys, mean, rstd, first, n, cols, eps);
            y.put(first * cols, ys, n * cols);
        }
    }

    /**
     * The backward pass of {@link #forwardSum}: {@code ds = ds_in + LN'(s)^T dy}, where {@code ds_in} is the
     * gradient s received from its other readers (null for none); see {@link #backward(HeapFloats.Region,
     * HeapFloats.Region, float[], float[], float[], HeapFloats.Region, float[], float[], int, int)}.
     */
    public static void backwardSum(HeapFloats.Region dy, HeapFloats.Region s, HeapFloats.Region dsIn, float[] gamma,
                                   float[] mean, float[] rstd, HeapFloats.Region ds, float[] dgamma, float[] dbeta,
                                   int rows, int cols) {
        int chunkRows = HeapFloats.rowsPerChunk(cols);
        float[] dys = HeapFloats.slot(0, (long) chunkRows * cols);
        float[] xs = HeapFloats.slot(1, (long) chunkRows * cols);
        float[] dxs = HeapFloats.slot(5, (long) chunkRows * cols);
        for (int first = 0; first < rows; first += chunkRows) {
            int n = Math.min(chunkRows, rows - first);
            dy.get(first * cols, dys, n * cols);
            s.get(first * cols, xs, n * cols);
            backward(dys, xs, gamma, mean, rstd, dxs, dgamma, dbeta, first, n, cols);
            if (dsIn != null) {
                dsIn.get(first * cols, dys, n * cols);        // dy's chunk is spent: reuse its slot
                for (int i = 0; i < n * cols; i++) {
                    dxs[i] += dys[i];
                }
            }
            ds.put(first * cols, dxs, n * cols);
        }
    }

    /**
     * Streams the backward pass a few rows at a time; see {@link #backward(float[], float[], float[], float[],
     * float[], float[], float[], float[], int, int, int)}.
     */
    public static void backward(HeapFloats.Region dy, HeapFloats.Region x, float[] gamma, float[] mean, float[] rstd,
                                HeapFloats.Region dx, float[] dgamma, float[] dbeta, int rows, int cols) {
        int chunkRows = HeapFloats.rowsPerChunk(cols);
        float[] dys = HeapFloats.slot(0, (long) chunkRows * cols);
        float[] xs = HeapFloats.slot(1, (long) chunkRows * cols);
        float[] dxs = dx == null ? null : HeapFloats.slot(5, (long) chunkRows * cols);
        for (int first = 0; first < rows; first += chunkRows) {
            int n = Math.min(chunkRows, rows - first);
            dy.get(first * cols, dys, n * cols);
            x.get(first * cols, xs, n * cols);
            backward(dys, xs, gamma, mean, rstd, dxs, dgamma, dbeta, first, n, cols);
            if (dx != null) {
                dx.put(first * cols, dxs, n * cols);
            }
        }
    }

    /**
     * Rows {@code 0 .. rows} of x and y are rows {@code firstRow ..} of the whole array, and of mean and rstd.
     */
    static void forward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                        int firstRow, int rows, int cols, double eps) {
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            System.arraycopy(x, o, row, 0, cols);
            float m = Reductions.sum(row, 0, cols) / cols;
            float rs = (float) (1 / Math.sqrt(Reductions.sumOfSquaredDeviations(row, 0, cols, m) / cols + eps));
            mean[firstRow + r] = m;
            rstd[firstRow + r] = rs;
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
     * column sums of {@code dy xhat} and {@code dy} into {@code dgamma} and {@code dbeta}. Rows {@code 0 .. rows}
     * of dy, x and dx are rows {@code firstRow ..} of mean and rstd.
     *
     * @param dx     output, or null when x needs no gradient
     * @param dgamma accumulated into (cols)
     * @param dbeta  accumulated into (cols), or null when there is no bias
     */
    static void backward(float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd, float[] dx,
                         float[] dgamma, float[] dbeta, int firstRow, int rows, int cols) {
        float[] xhat = new float[cols];
        float[] dyRow = new float[cols];
        float[] dxhat = new float[cols];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float m = mean[firstRow + r];
            float rs = rstd[firstRow + r];
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
