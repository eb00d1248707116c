package org.recursa.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Token sequences of one batch, right-padded to a common length.
 *
 * @param ids    B*T token ids, row-major
 * @param batch  B
 * @param length T
 * @param keep   (B, T): 1 for real tokens, 0 for padding
 * @param lengths the real length of each row
 */
public record TokenBatch(int[] ids, int batch, int length, INDArray keep, int[] lengths) {

    /**
     * Pads rows of different lengths to the longest.
     *
     * @param rows token ids, one non-empty row per sequence
     * @param pad  the padding id
     */
    public static TokenBatch of(int[][] rows, int pad) {
        int length = 0;
        for (int[] row : rows) {
            if (row.length == 0) {
                throw new IllegalArgumentException("empty sequence in batch");
            }
            length = Math.max(length, row.length);
        }
        int[] ids = new int[rows.length * length];
        float[] keep = new float[rows.length * length];
        int[] lengths = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
            lengths[b] = rows[b].length;
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = t < rows[b].length ? rows[b][t] : pad;
                keep[b * length + t] = t < rows[b].length ? 1f : 0f;
            }
        }
        return new TokenBatch(ids, rows.length, length, Nd4j.create(keep, new long[] {rows.length, length}, 'c')
                .castTo(Precision.dataType()), lengths);
    }
}
