package org.recursa.api.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sampler's output.
 *
 * @param outputs          generated token ids per prompt, without the prompt and without the stop token
 * @param modelCalls       forward passes the sampler made (a cost measure independent of the machine)
 * @param generatedTokens  tokens generated over all rows
 * @param seconds          wall-clock time spent decoding
 * @param logProbabilities per prompt, the model's log-probability of its output (stop token included when
 *                         generated); NaN where the sampler did not compute it (since 0.2.0)
 * @param nBest            per prompt, the candidates the sampler kept, best first; the first holds the output
 *                         (since 0.2.0)
 * @param depths           per prompt, the depth (recursions) spent on each generated token, stop token included;
 *                         empty where the model has no variable depth (since 0.2.0)
 * @param flops            forward floating-point operations spent, from the session's count (since 0.2.0)
 */
public record Decoded(List<int[]> outputs, long modelCalls, long generatedTokens, double seconds,
                      double[] logProbabilities, List<List<Hypothesis>> nBest, List<int[]> depths, long flops) {

    /** Copies the lists and checks that they have one entry per prompt. */
    public Decoded {
        outputs = List.copyOf(outputs);
        logProbabilities = logProbabilities.clone();
        nBest = nBest.stream().map(List::copyOf).toList();
        depths = List.copyOf(depths);
        if (logProbabilities.length != outputs.size() || nBest.size() != outputs.size()
                || depths.size() != outputs.size()) {
            throw new IllegalArgumentException("per-prompt lists disagree: " + outputs.size() + " outputs, "
                    + logProbabilities.length + " log-probabilities, " + nBest.size() + " n-best lists, "
                    + depths.size() + " depth lists");
        }
    }

    /** An output without scores, n-best lists, depths or a FLOP count. */
    public Decoded(List<int[]> outputs, long modelCalls, long generatedTokens, double seconds) {
        this(outputs, modelCalls, generatedTokens, seconds, nans(outputs.size()), singles(outputs),
                empties(outputs.size()), 0);
    }

    /** Generated tokens per second of wall-clock time. */
    public double tokensPerSecond() {
        return seconds > 0 ? generatedTokens / seconds : 0;
    }

    /**
     * The mean depth per generated token over every row, or NaN when no depths were recorded.
     *
     * @since 0.2.0
     */
    public double averageDepth() {
        long sum = 0;
        long count = 0;
        for (int[] row : depths) {
            for (int depth : row) {
                sum += depth;
                count++;
            }
        }
        return count == 0 ? Double.NaN : (double) sum / count;
    }

    @Override
    public double[] logProbabilities() {
        return logProbabilities.clone();
    }

    private static double[] nans(int n) {
        double[] values = new double[n];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    private static List<List<Hypothesis>> singles(List<int[]> outputs) {
        List<List<Hypothesis>> lists = new ArrayList<>(outputs.size());
        for (int[] output : outputs) {
            lists.add(List.of(new Hypothesis(output, Double.NaN, Double.NaN)));
        }
        return lists;
    }

    private static List<int[]> empties(int n) {
        List<int[]> lists = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lists.add(new int[0]);
        }
        return lists;
    }
}
