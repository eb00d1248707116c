package org.recursa.engine.train;

/**
 * Supervision of every recursion step (deep supervision), with CGAR's hierarchical weighting: the task loss of step
 * t (0 for the first recursion) is multiplied by {@code decay^t}, divided by {@code sum_t decay^t} when
 * {@code normalised}. CGAR's code uses decay 0.7 unnormalised; its paper writes the normalised form. Decay 1
 * unnormalised weighs every step's loss fully.
 *
 * @param decay      lambda, in (0, 1]
 * @param normalised whether the weights sum to 1
 * @since 1.2.0
 */
public record Supervision(double decay, boolean normalised) {

    /** Checks the decay. */
    public Supervision {
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("supervision decay must be in (0, 1], got " + decay);
        }
    }

    /** The weights of {@code steps} steps, first step first. */
    public double[] weights(int steps) {
        double[] weights = new double[steps];
        double total = 0;
        for (int t = 0; t < steps; t++) {
            weights[t] = Math.pow(decay, t);
            total += weights[t];
        }
        if (normalised) {
            for (int t = 0; t < steps; t++) {
                weights[t] /= total;
            }
        }
        return weights;
    }
}
