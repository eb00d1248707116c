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
         * Rows {@code [from, to)} as a batch of their own, at this batch's padded length, so that each row computes
         * what it computes in the whole batch (a data-parallel shard).
         */
        public Batch rows(int from, int to) {
            if (from < 0 || to > batch.batch() || from >= to) {
                throw new IllegalArgumentException("rows [" + from + ", " + to + ") of a batch of " + batch.batch());
            }
            int length = batch.length();
            int[] lengths = Arrays.copyOfRange(batch.lengths(), from, to);
            float[] keep = new float[(to - from) * length];
            for (int b = 0; b < lengths.length; b++) {
                Arrays.fill(keep, b * length, b * length + lengths[b], 1f);
            }
            int[] shardTargets = Arrays.copyOfRange(targets, from * length, to * length);
            int shardCounted = 0;
            for (int target : shardTargets) {
                shardCounted += target == CrossEntropy.IGNORE ? 0 : 1;
            }
            TokenBatch rows = new TokenBatch(Arrays.copyOfRange(batch.ids(), from * length, to * length), to - from,
                    length, Nd4j.create(keep, new long[] {to - from, length}, 'c').castTo(Precision.dataType()),
                    lengths);
            return new Batch(rows, shardTargets, shardCounted);
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
