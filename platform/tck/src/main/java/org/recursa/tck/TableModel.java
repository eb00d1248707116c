package org.recursa.tck;

import java.util.Arrays;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.WeightSet;

/**
 * A real, tiny model for decoding tests: the logits of the next token are a fixed row of a table, chosen by the last
 * token. It refuses sequences longer than its maximum length, as a real model must, and counts what it was asked.
 * Its decode session is the API's recomputing one, so every step re-reads whole rows.
 */
public final class TableModel implements Model {

    /**
     * The logit of the chosen token in a {@link #chain} (every other logit is 0): every other token together has
     * a probability below 1e-15, so that any sampler run at a temperature near 1 follows the chain.
     */
    public static final float MARGIN = 40f;
    /** Forward FLOPs the model claims per token, so that a sampler's FLOP count can be checked. */
    public static final long FLOPS_PER_TOKEN = 10;

    private final float[][] table;
    private final int maxLength;
    private int calls;
    private int longest;

    private TableModel(float[][] table, int maxLength) {
        if (table.length == 0 || maxLength <= 0) {
            throw new IllegalArgumentException("a table model needs a vocabulary and a positive maximum length");
        }
        for (float[] row : table) {
            if (row.length != table.length) {
                throw new IllegalArgumentException("the table must be square: one row of " + table.length
                        + " logits per last token, got a row of " + row.length);
            }
        }
        this.table = Arrays.stream(table).map(float[]::clone).toArray(float[][]::new);
        this.maxLength = maxLength;
    }

    /**
     * A model whose next token is {@code next(last)} with logit {@link #MARGIN}, every other logit 0; where
     * {@code next} is negative every logit is 0 (a tie over the whole vocabulary).
     */
    public static TableModel chain(int vocabulary, int maxLength, IntUnaryOperator next) {
        float[][] table = new float[vocabulary][vocabulary];
        for (int last = 0; last < vocabulary; last++) {
            int wanted = next.applyAsInt(last);
            if (wanted >= vocabulary) {
                throw new IllegalArgumentException("next(" + last + ") = " + wanted + " is outside the vocabulary");
            }
            if (wanted >= 0) {
                table[last][wanted] = MARGIN;
            }
        }
        return new TableModel(table, maxLength);
    }

    /**
     * A model with the given logits: row {@code t} holds the logits of the token after a sequence ending in
     * {@code t}; the vocabulary is the table's size.
     */
    public static TableModel of(float[][] logitsByLastToken, int maxLength) {
        return new TableModel(logitsByLastToken, maxLength);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("table", table.length, maxLength, 0, 0, 0, FLOPS_PER_TOKEN);
    }

    @Override
    public float[][] nextTokenLogits(int[][] sequences) {
        calls++;
        float[][] logits = new float[sequences.length][];
        for (int i = 0; i < sequences.length; i++) {
            int[] sequence = sequences[i];
            if (sequence.length == 0 || sequence.length > maxLength) {
                throw new IllegalArgumentException("a sequence of " + sequence.length + " tokens; the model accepts 1.."
                        + maxLength);
            }
            longest = Math.max(longest, sequence.length);
            logits[i] = table[sequence[sequence.length - 1]].clone();
        }
        return logits;
    }

    @Override
    public WeightSet weights() {
        return new WeightSet(Map.of());
    }

    /** Calls of {@link #nextTokenLogits} so far. */
    public int calls() {
        return calls;
    }

    /** The longest sequence the model was asked about so far. */
    public int longest() {
        return longest;
    }
}
