package org.recursa.runtime.train;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.task.Example;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Precision;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.ops.CrossEntropy;

/**
 * How examples become model inputs: one stream {@code input SEP target EOS}. The loss covers the target and
 * EOS only: the model is asked to produce the answer, not to predict the (random) input.
 */
public final class Encoding {

    private Encoding() {
    }

    /** The full training sequence of an example. */
    public static int[] sequence(Vocabulary vocabulary, Example example) {
        int[] input = vocabulary.encode(example.input());
        int[] target = vocabulary.encode(example.target());
        int[] sequence = new int[input.length + target.length + 2];
        System.arraycopy(input, 0, sequence, 0, input.length);
        sequence[input.length] = Vocabulary.SEP_ID;
        System.arraycopy(target, 0, sequence, input.length + 1, target.length);
        sequence[sequence.length - 1] = Vocabulary.EOS_ID;
        return sequence;
    }

    /** The decoding prompt of an example: {@code input SEP}. */
    public static int[] prompt(Vocabulary vocabulary, Example example) {
        int[] input = vocabulary.encode(example.input());
        int[] prompt = new int[input.length + 1];
        System.arraycopy(input, 0, prompt, 0, input.length);
        prompt[input.length] = Vocabulary.SEP_ID;
        return prompt;
    }

    /**
     * A training batch and its next-token targets.
     *
     * @param batch   the padded sequences
     * @param targets per position, the next token where it belongs to the answer, else {@link CrossEntropy#IGNORE}
     * @param counted how many positions the loss counts (answer tokens plus EOS)
     */
    public record Batch(TokenBatch batch, int[] targets, int counted) {

        /**
         * The given rows, in that order, as a batch of their own padded to the longest of them: each row computes
         * what it computes in the whole batch (positions run left to right and attention is causal, so padding after
         * a row never reaches it), and rows of similar lengths together waste less on padding.
         */
        public Batch select(int[] rows) {
            if (rows.length == 0) {
                throw new IllegalArgumentException("a batch of no rows");
            }
            int from = batch.length();
            int length = 0;
            for (int row : rows) {
                if (row < 0 || row >= batch.batch()) {
                    throw new IllegalArgumentException("row " + row + " of a batch of " + batch.batch());
                }
                length = Math.max(length, batch.lengths()[row]);
            }
            int[] ids = new int[rows.length * length];
            int[] lengths = new int[rows.length];
            float[] keep = new float[rows.length * length];
            int[] shardTargets = new int[rows.length * length];
            int shardCounted = 0;
            for (int b = 0; b < rows.length; b++) {
                System.arraycopy(batch.ids(), rows[b] * from, ids, b * length, length);
                System.arraycopy(targets, rows[b] * from, shardTargets, b * length, length);
                lengths[b] = batch.lengths()[rows[b]];
                Arrays.fill(keep, b * length, b * length + lengths[b], 1f);
                for (int t = length; t < from; t++) {
                    if (targets[rows[b] * from + t] != CrossEntropy.IGNORE) {
                        throw new IllegalArgumentException("row " + rows[b] + " has a target at padding position "
                                + t + " (its length is " + lengths[b] + "); padding is never supervised");
                    }
                }
            }
            for (int target : shardTargets) {
                shardCounted += target == CrossEntropy.IGNORE ? 0 : 1;
            }
            TokenBatch selected = new TokenBatch(ids, rows.length, length,
                    Nd4j.create(keep, new long[] {rows.length, length}, 'c').castTo(Precision.dataType()), lengths);
            return new Batch(selected, shardTargets, shardCounted);
        }

        /** The batch's real (non-padding) tokens. */
        public int realTokens() {
            return Arrays.stream(batch.lengths()).sum();
        }
    }

    /** Encodes examples into one batch. */
    public static Batch batch(Vocabulary vocabulary, List<Example> examples) {
        int[][] rows = new int[examples.size()][];
        int[] answerStart = new int[examples.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = sequence(vocabulary, examples.get(i));
            answerStart[i] = examples.get(i).input().size();
        }
        TokenBatch batch = TokenBatch.of(rows, Vocabulary.PAD_ID);
        int[] targets = new int[batch.ids().length];
        int counted = 0;
        for (int b = 0; b < rows.length; b++) {
            for (int t = 0; t < batch.length(); t++) {
                boolean answer = t >= answerStart[b] && t + 1 < rows[b].length;
                targets[b * batch.length() + t] = answer ? rows[b][t + 1] : CrossEntropy.IGNORE;
                counted += answer ? 1 : 0;
            }
        }
        return new Batch(batch, targets, counted);
    }
}
