package org.recursa.plugins.compressors;

/**
 * A block of consecutive rows or columns of a row-major matrix, one piece of a structured unit.
 *
 * @param tensor  the matrix's name
 * @param rows    whether the block is rows (else columns)
 * @param from    the first row or column
 * @param count   how many
 */
record Cut(String tensor, boolean rows, int from, int count) {

    /** The sum of squares of the cut's values in {@code values} of a matrix {@code columns} wide. */
    double squaredNorm(float[] values, int columns) {
        double sum = 0;
        for (int index : indices(values.length, columns)) {
            sum += (double) values[index] * values[index];
        }
        return sum;
    }

    /** Sets the cut's values to +0.0 in place; returns how many values it holds. */
    int zero(float[] values, int columns) {
        int[] indices = indices(values.length, columns);
        for (int index : indices) {
            values[index] = 0f;
        }
        return indices.length;
    }

    private int[] indices(int size, int columns) {
        int rowCount = size / columns;
        if (rows) {
            return java.util.stream.IntStream.range(from * columns, (from + count) * columns).toArray();
        }
        int[] indices = new int[rowCount * count];
        int at = 0;
        for (int row = 0; row < rowCount; row++) {
            for (int column = from; column < from + count; column++) {
                indices[at++] = row * columns + column;
            }
        }
        return indices;
    }
}
