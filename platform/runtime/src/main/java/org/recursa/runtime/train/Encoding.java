package org.recursa.runtime.train;

import java.util.List;
import org.recursa.api.task.Example;
import org.recursa.api.task.Vocabulary;
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
