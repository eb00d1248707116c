package org.recursa.plugins.loopformer;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.recursa.api.ConfigException;

/**
 * A LoopFormer trajectory: the step sizes Δ_1..Δ_S of one pass from normalised time 0 to 1, one loop of the shared
 * blocks per step. Loop i is conditioned on the time before it, t_{i-1} = Δ_1 + ... + Δ_{i-1}, and on Δ_i.
 */
final class Trajectory {

    /** How far the steps of a written schedule may sum from 1 (they are typed as decimals such as 0.333333). */
    static final double SUM_TOLERANCE = 1e-6;

    private Trajectory() {
    }

    /** S steps of 1/S: the trained long trajectory [1/L]×L, and any pass at a depth without a schedule. */
    static double[] uniform(int steps) {
        double[] deltas = new double[steps];
        Arrays.fill(deltas, 1.0 / steps);
        return deltas;
    }

    /** The normalised time before each step: 0, Δ_1, Δ_1 + Δ_2, ... */
    static double[] times(double[] deltas) {
        double[] times = new double[deltas.length];
        for (int i = 1; i < deltas.length; i++) {
            times[i] = times[i - 1] + deltas[i - 1];
        }
        return times;
    }

    /**
     * A comma list of step sizes, e.g. {@code 0.5,0.25,0.25}; empty for none.
     *
     * @throws ConfigException in one line naming {@code key} and what is expected, unless every step is positive,
     *                         they sum to 1 and there are at most {@code maxSteps}
     */
    static double[] parse(String key, String text, int maxSteps) {
        if (text.isBlank()) {
            return new double[0];
        }
        String[] parts = text.split(",");
        double[] deltas = new double[parts.length];
        double sum = 0;
        for (int i = 0; i < parts.length; i++) {
            try {
                deltas[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw invalid(key, text, "'" + parts[i].trim() + "' is not a number");
            }
            if (!(deltas[i] > 0) || Double.isInfinite(deltas[i])) {
                throw invalid(key, text, "step " + (i + 1) + " is " + parts[i].trim() + ", not positive");
            }
            sum += deltas[i];
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw invalid(key, text, "the steps sum to " + sum);
        }
        if (deltas.length > maxSteps) {
            throw invalid(key, text, "it has " + deltas.length + " steps, more than " + maxSteps);
        }
        return deltas;
    }

    private static ConfigException invalid(String key, String text, String problem) {
        return new ConfigException("setting '" + key + "' = '" + text + "' must be a comma list of positive step "
                + "sizes summing to 1, e.g. 0.5,0.25,0.25: " + problem);
    }

    /**
     * A random short trajectory for {@code loops} = L ≥ 2, as the authors' {@code utils.sample_short_trajectory}
     * draws it: its length S uniform in 1..L−1; each step but the last a multiple k/L with k uniform among the
     * values that leave at least 1/L for every remaining step; the last step what is left, so the steps sum to 1.
     */
    static double[] sampleShort(int loops, SplittableRandom random) {
        if (loops < 2) {
            throw new IllegalArgumentException("a short trajectory needs at least 2 loops, got " + loops);
        }
        int steps = 1 + random.nextInt(loops - 1);
        double[] deltas = new double[steps];
        int remaining = loops;                                   // in units of 1/L
        for (int i = 0; i < steps - 1; i++) {
            int cap = remaining - (steps - 1 - i);               // leave one unit for each later step
            int units = 1 + random.nextInt(cap);
            deltas[i] = (double) units / loops;
            remaining -= units;
        }
        deltas[steps - 1] = (double) remaining / loops;
        return deltas;
    }

    /** {@code 0.5,0.25,0.25}: how a trajectory is written in settings and logs. */
    static String format(double[] deltas) {
        StringBuilder text = new StringBuilder();
        for (double delta : deltas) {
            text.append(text.length() == 0 ? "" : ",").append(delta);
        }
        return text.toString();
    }
}
