package org.recursa.plugins.sliced;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.nn.AttentionScope;
import org.recursa.engine.ops.Attention;

/**
 * Sliced group attention made causal. SReT permutes the tokens, cuts the permuted sequence into G contiguous
 * groups and lets tokens attend only inside their group. Here the permutation is over position indices
 * {@code 0..maxLength-1} (not over the tokens present), so a position's group never depends on how long the
 * sequence is or what follows it; within a group a query attends to keys at its own or earlier original
 * positions. Attending "inside the permuted group, then un-permuting" is then exactly a mask on the ordinary
 * attention, and no future token can leak; the engine computes it group by group rather than under that mask.
 */
final class GroupMask {

    private final int[] groupOfPosition;

    private GroupMask(int[] groupOfPosition) {
        this.groupOfPosition = groupOfPosition;
    }

    /** Groups from a uniformly random permutation of the positions (Fisher-Yates). */
    static GroupMask random(int maxLength, int groups, SplittableRandom random) {
        int[] order = new int[maxLength];
        for (int i = 0; i < maxLength; i++) {
            order[i] = i;
        }
        for (int i = maxLength - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] groupOf = new int[maxLength];
        for (int slot = 0; slot < maxLength; slot++) {
            groupOf[order[slot]] = (int) ((long) slot * groups / maxLength);   // G contiguous runs of slots
        }
        return new GroupMask(groupOf);
    }

    /** G contiguous slices of the positions {@code 0..maxLength-1}, in order (SReT's first application). */
    static GroupMask contiguous(int maxLength, int groups) {
        int[] groupOf = new int[maxLength];
        for (int position = 0; position < maxLength; position++) {
            groupOf[position] = (int) ((long) position * groups / maxLength);
        }
        return new GroupMask(groupOf);
    }

    /** The group of each position. */
    int group(int position) {
        return groupOfPosition[position];
    }

    /**
     * Causal attention within a position's group: full passes compute each group as its own short sequence, so
     * that attention costs about T/G keys per query instead of T under a mask; incremental decoding applies the
     * same rule to cached keys.
     */
    AttentionScope scope() {
        return AttentionScope.causalInGroups(groupOfPosition);
    }

    /** The largest group: the length every group's sequence is padded to when all positions are present. */
    static int longest(int maxLength, int groups) {
        return (maxLength + groups - 1) / groups;
    }

    /** The (B, T, T) additive mask full attention would need for the same rule: causal, same group, no padding key. */
    INDArray build(TokenBatch batch, INDArray like) {
        int length = batch.length();
        float[] data = new float[batch.batch() * length * length];
        for (int b = 0; b < batch.batch(); b++) {
            for (int i = 0; i < length; i++) {
                for (int j = 0; j < length; j++) {
                    boolean visible = j <= i && j < batch.lengths()[b] && group(i) == group(j);
                    data[(b * length + i) * length + j] = visible ? 0f : (float) Attention.MASKED;
                }
            }
        }
        return Nd4j.create(data, new long[] {batch.batch(), length, length}, 'c').castTo(like.dataType());
    }
}
