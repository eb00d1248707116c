package org.recursa.api.compress;

/**
 * A training budget the host spends on a compressed model after {@link Compressor#compress}, with its ordinary
 * trainer on the parent run's training set ({@code --set uptrain.steps=N --set uptrain.lr=X}). Weights a compressor
 * stored {@link org.recursa.api.model.Storage.Sparse sparse} keep their zeros while it trains.
 *
 * @param steps        optimiser steps; 0 for none
 * @param learningRate peak learning rate of the schedule
 * @since 0.2.0
 */
public record Uptraining(int steps, double learningRate) {

    /** No uptraining. */
    public static final Uptraining NONE = new Uptraining(0, 0);

    /** Checks the ranges. */
    public Uptraining {
        if (steps < 0) {
            throw new IllegalArgumentException("uptraining steps must be >= 0, got " + steps);
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("uptraining learning rate must be finite and >= 0, got "
                    + learningRate);
        }
    }

    /** Whether any step is asked for. */
    public boolean isActive() {
        return steps > 0;
    }
}
