package org.recursa.runtime.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Evaluation;

/**
 * Accuracy of one split sliced by each example feature (length, depth, carry chain, ...): the table that shows
 * where a model stops generalising. Keys are the feature's values in ascending order.
 */
public final class Breakdown {

    /**
     * Accuracy over the examples that share one feature value.
     *
     * @param examples         how many
     * @param tokenAccuracy    share of their target tokens predicted right
     * @param sequenceAccuracy share predicted exactly
     */
    public record Cell(int examples, double tokenAccuracy, double sequenceAccuracy) {
    }

    private Breakdown() {
    }

    /** Feature name, then value, then accuracy; features in name order. */
    public static Map<String, Map<Integer, Cell>> of(Evaluation.Result result) {
        TreeSet<String> features = new TreeSet<>();
        result.judgements().forEach(j -> features.addAll(j.example().features().keySet()));
        Map<String, Map<Integer, Cell>> byFeature = new LinkedHashMap<>();
        for (String feature : features) {
            Map<Integer, long[]> counts = new TreeMap<>();
            for (BoundTask.Judgement judgement : result.judgements()) {
                Integer value = judgement.example().features().get(feature);
                if (value == null) {
                    continue;
                }
                long[] c = counts.computeIfAbsent(value, v -> new long[4]);
                c[0]++;
                c[1] += judgement.verdict().correct() ? 1 : 0;
                c[2] += judgement.verdict().tokensCorrect();
                c[3] += judgement.verdict().tokensTotal();
            }
            Map<Integer, Cell> cells = new LinkedHashMap<>();
            counts.forEach((value, c) -> cells.put(value,
                    new Cell((int) c[0], c[3] == 0 ? 0 : (double) c[2] / c[3], (double) c[1] / c[0])));
            byFeature.put(feature, cells);
        }
        return byFeature;
    }

    /** The features worth printing for a split: those taking between 2 and {@code maxValues} values. */
    public static List<String> printable(Map<String, Map<Integer, Cell>> breakdown, int maxValues) {
        return breakdown.entrySet().stream()
                .filter(e -> e.getValue().size() >= 2 && e.getValue().size() <= maxValues)
                .map(Map.Entry::getKey)
                .toList();
    }
}
