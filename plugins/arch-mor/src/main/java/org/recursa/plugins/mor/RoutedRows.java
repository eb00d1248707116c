package org.recursa.plugins.mor;

import java.util.Arrays;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.ops.RowMap;

/**
 * The tokens routed into one recursion, packed per sequence: sequence b's routed tokens, in position order, fill
 * slots b*K .. b*K + count_b - 1 of a (B, K) batch, K the largest count; the remaining slots are padding. Running a
 * causal block on this batch lets a routed token attend exactly to the earlier routed tokens of its sequence.
 *
 * @param pack    for each of the B*K slots its row of the (B*T) activation, or {@link RowMap#ZERO} for padding
 * @param unpack  for each of the B*T rows its slot, or {@link RowMap#ZERO} for tokens not routed
 * @param batch   the packed batch (B, K) with the routed tokens' ids and their counts as lengths, padding marked
 *                in {@code keep} (except the first slot of a sequence with no routed token, kept so that its rows
 *                have a key to attend to); its positions are slot numbers, which the shared blocks never read
 */
record RoutedRows(int[] pack, int[] unpack, TokenBatch batch) {

    /**
     * Packs the rows flagged in {@code routed} (B*T flags, row-major like {@code batch}).
     *
     * @throws IllegalArgumentException if no row is flagged (ND4J has no (B, 0) batch; nothing to compute anyway)
     */
    static RoutedRows of(TokenBatch batch, boolean[] routed) {
        int[] counts = new int[batch.batch()];
        for (int i = 0; i < routed.length; i++) {
            counts[i / batch.length()] += routed[i] ? 1 : 0;
        }
        int width = Arrays.stream(counts).max().orElse(0);
        if (width == 0) {
            throw new IllegalArgumentException("no routed token to pack");
        }
        int[] pack = new int[batch.batch() * width];
        Arrays.fill(pack, RowMap.ZERO);
        int[] ids = new int[pack.length];
        float[] keep = new float[pack.length];
        for (int b = 0; b < batch.batch(); b++) {
            int slot = b * width;
            for (int t = 0; t < batch.length(); t++) {
                int row = b * batch.length() + t;
                if (routed[row]) {
                    pack[slot] = row;
                    ids[slot] = batch.ids()[row];
                    keep[slot++] = 1f;
                }
            }
            if (counts[b] == 0) {
                keep[b * width] = 1f;       // attention needs one visible key per row; nothing reads this slot back
            }
        }
        TokenBatch packed = new TokenBatch(ids, batch.batch(), width,
                Nd4j.create(keep, new long[] {batch.batch(), width}, 'c').castTo(batch.keep().dataType()), counts);
        return new RoutedRows(pack, RowMap.inverse(pack, routed.length), packed);
    }

    /** Whether any row is flagged: {@link #of} needs one. */
    static boolean any(boolean[] routed) {
        for (boolean flag : routed) {
            if (flag) {
                return true;
            }
        }
        return false;
    }
}
