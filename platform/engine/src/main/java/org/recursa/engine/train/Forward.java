package org.recursa.engine.train;

import java.util.List;
import java.util.Map;
import org.recursa.engine.Var;

/**
 * What a trainable model's forward pass returns.
 *
 * @param logits     (B*T, V) next-token logits at every position: what decoding reads
 * @param auxLosses  named scalar losses already multiplied by their weights (ponder cost, router losses), added
 *                   to the task loss by the trainer
 * @param depth      per-token recursion depth or ponder time, (B*T) row-major, or null for fixed-depth models
 * @param stats      scalar diagnostics to log, e.g. mean halting step
 * @param supervised when not empty, the outputs the task loss supervises instead of {@code logits} alone: the
 *                   trainer's task loss is the sum of each one's cross-entropy times its weight (every recursion
 *                   step under deep supervision; LoopFormer's long and short trajectories). Since 1.2.0
 */
public record Forward(Var logits, List<NamedLoss> auxLosses, double[] depth, Map<String, Double> stats,
                      List<Supervised> supervised) {

    /** Copies the lists. */
    public Forward {
        auxLosses = List.copyOf(auxLosses);
        supervised = List.copyOf(supervised);
    }

    /** A forward pass whose task loss supervises {@code logits} alone. */
    public Forward(Var logits, List<NamedLoss> auxLosses, double[] depth, Map<String, Double> stats) {
        this(logits, auxLosses, depth, stats, List.of());
    }

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

    /**
     * Logits the task loss supervises with the task's targets.
     *
     * @param name   e.g. {@code step.3}, {@code short}
     * @param logits (B*T, V)
     * @param weight what its cross-entropy is multiplied by
     * @since 1.2.0
     */
    public record Supervised(String name, Var logits, double weight) {
    }
}
