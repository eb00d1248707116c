package org.recursa.engine.nn;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.engine.Var;

/**
 * Whom a block's attention lets each query see and where its keys and values come from: by default causal
 * attention that ignores the batch's padding keys; or an explicit additive mask (sliced group attention, routed
 * subsets of tokens); and optionally a hook that may replace the packed (B*T, 3C) queries, keys and values before
 * attention (recursive KV sharing reuses an earlier pass's keys and values this way).
 */
public final class AttentionScope {

    private static final AttentionScope CAUSAL = new AttentionScope(null, UnaryOperator.identity(), null, null,
            null);

    private final INDArray mask;
    private final UnaryOperator<Var> qkvHook;
    private final Visibility visibility;
    private final String keysOf;
    private final int[] groupOfPosition;

    private AttentionScope(INDArray mask, UnaryOperator<Var> qkvHook, Visibility visibility, String keysOf,
                           int[] groupOfPosition) {
        this.mask = mask;
        this.qkvHook = qkvHook;
        this.visibility = visibility;
        this.keysOf = keysOf;
        this.groupOfPosition = groupOfPosition;
    }

    /**
     * Which earlier positions a query position may see, beyond causality and padding; a rule on positions (not on
     * a batch), so that incremental decoding applies it to keys cached in earlier passes.
     *
     * @since 0.9.0
     */
    @FunctionalInterface
    @ConsumerType
    public interface Visibility {

        /** Whether the query at {@code query} may attend to the key at {@code key <= query}. */
        boolean sees(int query, int key);
    }

    /**
     * Causal attention blind to padding keys that a query sees a key under only when {@code visibility} allows
     * (sliced group attention: the same group). Its (B, T, T) mask is built per pass; incremental decoding applies
     * the rule to cached keys.
     *
     * @since 0.9.0
     */
    public static AttentionScope causalWhere(Visibility visibility) {
        return new AttentionScope(null, UnaryOperator.identity(), Objects.requireNonNull(visibility, "visibility"),
                null, null);
    }

    /**
     * Causal attention blind to padding keys inside groups of positions: a query sees a key only when both
     * positions are in the same group ({@code groupOfPosition[p]} is the group of position p, for every position a
     * pass may have). The same attention as {@link #causalWhere} with the rule "same group", but full passes
     * compute each group as its own short sequence, so that attention costs what the groups' sizes say rather than
     * the whole sequence under a mask (sliced group attention); incremental decoding applies the rule to cached
     * keys.
     *
     * @since 1.1.0
     */
    public static AttentionScope causalInGroups(int[] groupOfPosition) {
        int[] groups = Objects.requireNonNull(groupOfPosition, "groupOfPosition").clone();
        return new AttentionScope(null, UnaryOperator.identity(), (query, key) -> groups[query] == groups[key], null,
                groups);
    }

    /**
     * This scope, reading keys and values in incremental decoding from the cache slot {@code slot} (another
     * application's, e.g. the first recursion's under recursive KV sharing) instead of storing its own. Full
     * passes are unaffected: their {@link #withQkvHook hook} does the same on the batch.
     *
     * @since 0.9.0
     */
    public AttentionScope withKeysOf(String slot) {
        return new AttentionScope(mask, qkvHook, visibility, Objects.requireNonNull(slot, "slot"), groupOfPosition);
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
        return new AttentionScope(Objects.requireNonNull(mask, "mask"), UnaryOperator.identity(), null, null, null);
    }

    /** This scope with {@code hook} applied to the packed (B*T, 3C) q/k/v projection before attention. */
    public AttentionScope withQkvHook(UnaryOperator<Var> hook) {
        return new AttentionScope(mask, Objects.requireNonNull(hook, "hook"), visibility, keysOf, groupOfPosition);
    }

    /** The (B, T, T) mask for this pass; {@code like} gives the data type of the causal default. */
    INDArray mask(Context context, INDArray like) {
        if (mask != null) {
            return mask;
        }
        return visibility == null ? context.causalMask(like) : visibleMask(context, like);
    }

    /** Causal, never a padding key except a padding query's own, and only what the visibility rule allows. */
    private INDArray visibleMask(Context context, INDArray like) {
        var batch = context.batch();
        int length = batch.length();
        float[] data = new float[batch.batch() * length * length];
        for (int b = 0; b < batch.batch(); b++) {
            for (int i = 0; i < length; i++) {
                for (int j = 0; j < length; j++) {
                    // The diagonal always: a padding query that sees no real key would give NaN in double, and its
                    // row would then poison the keys and values of later layers (NaN times a zero weight is NaN).
                    boolean seen = j == i || (j < i && j < batch.lengths()[b] && visibility.sees(i, j));
                    data[(b * length + i) * length + j] = seen ? 0f : (float) org.recursa.engine.ops.Attention.MASKED;
                }
            }
        }
        return org.nd4j.linalg.factory.Nd4j.create(data, new long[] {batch.batch(), length, length}, 'c')
                .castTo(like.dataType());
    }

    /** The group of each position when full passes attend group by group ({@link #causalInGroups}), else null. */
    int[] groups() {
        return groupOfPosition;
    }

    /** The visibility rule, or null for plain causal attention. */
    Visibility visibility() {
        return visibility;
    }

    /** The cache slot to read keys from instead of this application's own, or null. */
    String keysOf() {
        return keysOf;
    }

    /** Whether incremental decoding can reproduce this scope: an explicit batch mask it cannot. */
    boolean cacheable() {
        return mask == null;
    }

    /** Applies the hook to the packed q/k/v. */
    Var qkv(Var packed) {
        return qkvHook.apply(packed);
    }
}
