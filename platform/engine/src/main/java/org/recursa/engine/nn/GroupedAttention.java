package org.recursa.engine.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.RowMap;

/**
 * Causal attention inside groups of positions ({@link AttentionScope#causalInGroups}), computed group by group:
 * the rows of each (sequence, group) pair are moved into a short sequence of their own, in position order and padded
 * to the largest group, attention runs over those B*G sequences of length T' (about T/G), and the outputs move
 * back. Scores and mixing then cost B*G*T'^2 instead of the B*T^2 of full attention under a group mask, with the
 * same result: a query sees the same keys in the same order, the masked ones weigh exactly zero either way.
 */
final class GroupedAttention {

    private final int sequences;
    private final int length;
    private final int[] sources;
    private final int[] targets;
    private final int[] visible;

    private GroupedAttention(int sequences, int length, int[] sources, int[] targets, int[] visible) {
        this.sequences = sequences;
        this.length = length;
        this.sources = sources;
        this.targets = targets;
        this.visible = visible;
    }

    /**
     * @param packed (B*T, 3C) queries, keys and values of the pass's rows
     * @param groups the group of every position the batch has
     * @return (B*T, C): the heads' outputs side by side, as {@link Attention#apply} gives them
     */
    static Var apply(Tape tape, Var packed, TokenBatch batch, int heads, int[] groups) {
        GroupedAttention layout = of(batch, groups);
        Var gathered = RowMap.apply(tape, packed, layout.sources);                     // (B*G*T', 3C)
        Var mixed = Attention.apply(tape, gathered, layout.sequences, layout.length, heads,
                layout.mask(packed.value()));
        return RowMap.apply(tape, mixed, layout.targets);                                // (B*T, C)
    }

    /** Where each row of each group's sequence comes from, where each row goes back, and the real keys of each. */
    static GroupedAttention of(TokenBatch batch, int[] groups) {
        int length = batch.length();
        if (groups.length < length) {
            throw new IllegalArgumentException("groups cover " + groups.length + " positions, the batch has "
                    + length);
        }
        int[] slot = new int[length];              // the group's index among those present, in order of appearance
        int[] index = new int[length];             // the position's place in its group's sequence
        int[] sizes = new int[length];
        int[] seen = new int[maxGroup(groups, length) + 1];
        Arrays.fill(seen, -1);
        int present = 0;
        for (int p = 0; p < length; p++) {
            if (seen[groups[p]] < 0) {
                seen[groups[p]] = present++;
            }
            slot[p] = seen[groups[p]];
            index[p] = sizes[slot[p]]++;
        }
        int longest = Arrays.stream(sizes).max().orElse(1);
        return place(batch, present, longest, slot, index);
    }

    private static GroupedAttention place(TokenBatch batch, int present, int longest, int[] slot, int[] index) {
        int length = batch.length();
        int sequences = batch.batch() * present;
        int[] sources = new int[sequences * longest];
        Arrays.fill(sources, RowMap.ZERO);
        int[] targets = new int[batch.batch() * length];
        int[] visible = new int[sequences];        // keys of each sequence at real (not padding) positions
        for (int b = 0; b < batch.batch(); b++) {
            for (int p = 0; p < length; p++) {
                int sequence = b * present + slot[p];
                int row = sequence * longest + index[p];
                sources[row] = b * length + p;
                targets[b * length + p] = row;
                if (p < batch.lengths()[b]) {
                    visible[sequence]++;
                }
            }
        }
        return new GroupedAttention(sequences, longest, sources, targets, visible);
    }

    private static int maxGroup(int[] groups, int length) {
        int max = 0;
        for (int p = 0; p < length; p++) {
            if (groups[p] < 0) {
                throw new IllegalArgumentException("negative group " + groups[p] + " at position " + p);
            }
            max = Math.max(max, groups[p]);
        }
        return max;
    }

    /**
     * The (B*G, T', T') mask {@link AttentionScope}'s visibility rule gives inside one group: causal, a key only
     * at a real position (positions ascend in a sequence, so those are its first keys) and always the query's own,
     * so that a padding query sees what it sees under the full mask and the filler rows see only themselves.
     */
    private INDArray mask(INDArray like) {
        int square = length * length;
        float[] data = new float[sequences * square];
        float[][] blocks = new float[length + 1][];           // one (T', T') block per number of visible keys
        for (int s = 0; s < sequences; s++) {
            if (blocks[visible[s]] == null) {
                blocks[visible[s]] = block(visible[s]);
            }
            System.arraycopy(blocks[visible[s]], 0, data, s * square, square);
        }
        return Nd4j.create(data, new long[] {sequences, length, length}, 'c').castTo(like.dataType());
    }

    /** One sequence's mask when its first {@code visible} keys are at real positions. */
    private float[] block(int visible) {
        float[] block = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                boolean seen = j == i || (j < i && j < visible);
                block[i * length + j] = seen ? 0f : (float) Attention.MASKED;
            }
        }
        return block;
    }
}
