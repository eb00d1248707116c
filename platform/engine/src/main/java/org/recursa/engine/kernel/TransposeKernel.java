package org.recursa.engine.kernel;

/** Adds the transpose of a matrix into another, in cache-sized tiles. */
public final class TransposeKernel {

    private static final int TILE = 32;

    private TransposeKernel() {
    }

    /**
     * {@code into[r][c] += source[c][r]}.
     *
     * @param source (cols, rows), row-major
     * @param into   (rows, cols), row-major
     */
    public static void addTransposed(float[] source, float[] into, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int o = r * cols;
                    for (int c = c0; c < c1; c++) {
                        into[o + c] += source[c * rows + r];
                    }
                }
            }
        }
    }
}
