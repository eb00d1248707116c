package org.recursa.engine.nn;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.Var;

/**
 * Whom a block's attention lets each query see and where its keys and values come from: by default causal
 * attention that ignores the batch's padding keys; or an explicit additive mask (sliced group attention, routed
 * subsets of tokens); and optionally a hook that may replace the packed (B*T, 3C) queries, keys and values before
 * attention (recursive KV sharing reuses an earlier pass's keys and values this way).
 */
public final class AttentionScope {

    private static final AttentionScope CAUSAL = new AttentionScope(null, UnaryOperator.identity());

    private final INDArray mask;
    private final UnaryOperator<Var> qkvHook;

    private AttentionScope(INDArray mask, UnaryOperator<Var> qkvHook) {
        this.mask = mask;
        this.qkvHook = qkvHook;
    }

    /** Causal attention blind to padding keys, with the pass's shared mask ({@link Context#causalMask}). */
    public static AttentionScope causal() {
        return CAUSAL;
    }

    /**
     * Attention under {@code mask} (B, T, T), added to every head's scores: 0 where query i may attend to key j,
     * {@link org.recursa.engine.ops.Attention#MASKED} where it may not. Every row must keep at least one key.
     */
    public static AttentionScope masked(INDArray mask) {
        return new AttentionScope(Objects.requireNonNull(mask, "mask"), UnaryOperator.identity());
    }

    /** This scope with {@code hook} applied to the packed (B*T, 3C) q/k/v projection before attention. */
    public AttentionScope withQkvHook(UnaryOperator<Var> hook) {
        return new AttentionScope(mask, Objects.requireNonNull(hook, "hook"));
    }

    /** The (B, T, T) mask for this pass; {@code like} gives the data type of the causal default. */
    INDArray mask(Context context, INDArray like) {
        return mask != null ? mask : context.causalMask(like);
    }

    /** Applies the hook to the packed q/k/v. */
    Var qkv(Var packed) {
        return qkvHook.apply(packed);
    }
}
