package org.recursa.plugins.compressors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;
import org.recursa.api.model.WeightSet;
import org.recursa.engine.train.TrainableModel;

/**
 * How often a compressed model predicts the same next token as the original on calibration sequences: at every
 * position of every sequence, whether the two argmaxes agree. Both models decode incrementally, so a sequence of
 * length L costs L token steps rather than L prefixes.
 */
final class TopOneAgreement {

    /** Sequences decoded side by side in one session. */
    private static final int CHUNK = 32;

    private TopOneAgreement() {
    }

    /**
     * The fraction of agreeing positions over the first {@code sequences} calibration sequences (each cut to the
     * model's length), or empty when there are none or the host's models cannot be given weights (only the engine's
     * trainable models can).
     */
    static OptionalDouble measure(CompressionContext context, ModelSnapshot original, WeightSet compressed,
                                  int sequences) {
        Model reference = context.build(original.architecture(), original.settings());
        Model candidate = context.build(original.architecture(), original.settings());
        if (!(reference instanceof TrainableModel a) || !(candidate instanceof TrainableModel b)) {
            return OptionalDouble.empty();
        }
        a.parameters().assign(original.weights());
        b.parameters().assign(compressed);
        List<int[]> rows = new ArrayList<>();
        for (int[] sequence : context.calibration()) {
            if (rows.size() == sequences) {
                break;
            }
            if (sequence.length > 0) {
                rows.add(Arrays.copyOf(sequence, Math.min(sequence.length, reference.info().maxLength())));
            }
        }
        long agree = 0;
        long positions = 0;
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<int[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            agree += agreeing(a, b, chunk);
            positions += chunk.stream().mapToLong(row -> row.length).sum();
        }
        return positions == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) agree / positions);
    }

    /** Agreeing positions of {@code rows}, each decoded token by token in both models. */
    private static long agreeing(Model a, Model b, List<int[]> rows) {
        try (DecodeSession left = a.openSession(); DecodeSession right = b.openSession()) {
            int[][] firsts = rows.stream().map(row -> new int[] {row[0]}).toArray(int[][]::new);
            long agree = count(left.prefill(firsts), right.prefill(firsts));
            int longest = rows.stream().mapToInt(row -> row.length).max().orElse(0);
            for (int position = 1; position < longest; position++) {
                int at = position;
                int[] live = java.util.stream.IntStream.range(0, rows.size())
                        .filter(r -> rows.get(r).length > at).toArray();
                int[] tokens = Arrays.stream(live).map(r -> rows.get(r)[at]).toArray();
                agree += count(left.step(live, tokens), right.step(live, tokens));
            }
            return agree;
        }
    }

    private static long count(float[][] left, float[][] right) {
        long agree = 0;
        for (int row = 0; row < left.length; row++) {
            if (argmax(left[row]) == argmax(right[row])) {
                agree++;
            }
        }
        return agree;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
