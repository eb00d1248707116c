package org.recursa.engine.train;

import java.util.List;
import java.util.Map;
import org.recursa.engine.Var;

/**
 * What a trainable model's forward pass returns.
 *
 * @param logits    (B*T, V) next-token logits at every position
 * @param auxLosses named scalar losses already multiplied by their weights (ponder cost, router losses), added
 *                  to the task loss by the trainer
 * @param depth     per-token recursion depth or ponder time, (B*T) row-major, or null for fixed-depth models
 * @param stats     scalar diagnostics to log, e.g. mean halting step
 */
public record Forward(Var logits, List<NamedLoss> auxLosses, double[] depth, Map<String, Double> stats) {

    /** A forward pass with logits only. */
    public static Forward of(Var logits) {
        return new Forward(logits, List.of(), null, Map.of());
    }

    /**
     * A weighted auxiliary loss.
     *
     * @param name  e.g. {@code ponder}
     * @param value scalar, weight included
     */
    public record NamedLoss(String name, Var value) {
    }
}
