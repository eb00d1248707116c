package org.recursa.plugins.greedy;

import java.util.function.IntUnaryOperator;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.WeightSet;

/**
 * A real, tiny model for decoding tests: the next token is a fixed function of the last token. It refuses
 * sequences longer than its maximum length, as a real model must.
 */
final class TableModel implements Model {

    private final int vocabulary;
    private final int maxLength;
    private final IntUnaryOperator next;
    int calls;

    TableModel(int vocabulary, int maxLength, IntUnaryOperator next) {
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
        this.next = next;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("table", vocabulary, maxLength, 0, 0, 0, 0);
    }

    @Override
    public float[][] nextTokenLogits(int[][] sequences) {
        calls++;
        float[][] logits = new float[sequences.length][vocabulary];
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i].length > maxLength) {
                throw new IllegalArgumentException("sequence of length " + sequences[i].length + " > " + maxLength);
            }
            int wanted = next.applyAsInt(sequences[i][sequences[i].length - 1]);
            if (wanted >= 0) {
                logits[i][wanted] = 1f;
            }
        }
        return logits;
    }

    @Override
    public WeightSet weights() {
        return new WeightSet(java.util.Map.of());
    }
}
