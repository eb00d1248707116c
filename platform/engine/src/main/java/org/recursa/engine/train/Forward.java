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
 * @param stats      scalar diagnostics to log, e.g. mean halting step. When the host splits a batch across
 *                   data-parallel workers it combines each shard's stats by name: {@code mean_*} as a mean weighted
 *                   by the shards' real (non-padding) tokens, {@code tokens_*} as a sum, any other as the largest
 *                   (steps run, a depth drawn for the whole step)
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
     * <p>{@code over} lets the host split a batch across data-parallel workers exactly: a loss that is a sum over
     * some units (real tokens, positions, a recursion's candidates) divided by their number says that number, and
     * each shard's loss is then weighted by its share of the units, so that the shards' weighted sum is the whole
     * batch's loss. A loss that does not say ({@code NaN}) is taken as a mean over real tokens. A loss that is no
     * such mean (a product of batch-wide statistics, such as a load-balancing loss) is computed per shard, as
     * data-parallel training elsewhere does.
     *
     * @param name  e.g. {@code ponder}
     * @param value scalar, weight included
     * @param over  how many units the loss is a mean over, or {@code NaN}: not said. Since 1.3.0
     */
    public record NamedLoss(String name, Var value, double over) {

        /** A loss taken as a mean over the batch's real tokens. */
        public NamedLoss(String name, Var value) {
            this(name, value, Double.NaN);
        }

        /** Checks {@code over}. */
        public NamedLoss {
            if (!Double.isNaN(over) && !(over >= 0)) {
                throw new IllegalArgumentException("loss " + name + " is a mean over " + over
                        + " units; give a count >= 0, or NaN when it is a mean over real tokens");
            }
        }
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
