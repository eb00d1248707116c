package org.recursa.engine.kernel;

/** Column sums of a row-major (rows, cols) float array: the gradient of a bias broadcast over rows. */
public final class ColumnSums {

    private ColumnSums() {
    }

    /** Adds the sum over rows of {@code m} into {@code out} (cols). */
    public static void addInto(float[] m, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c] += m[o + c];
            }
        }
    }
}
