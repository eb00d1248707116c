package org.recursa.engine.nn;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.Rotary;

/** Multi-head self-attention: packed q/k/v projection, attention, output projection. */
public final class SelfAttention {

    private final LinearMap qkv;
    private final LinearMap proj;
    private final int heads;

    private SelfAttention(LinearMap qkv, LinearMap proj, int heads) {
        this.qkv = qkv;
        this.proj = proj;
        this.heads = heads;
    }

    /**
     * Dense projections {@code name.qkv} and {@code name.proj}.
     *
     * @param projectionStd std of the output projection, scaled down with depth as in GPT-2
     */
    public static SelfAttention create(ParameterSet parameters, String name, int width, int heads, double std,
                                       double projectionStd, SplittableRandom random) {
        return of(Dense.create(parameters, name + ".qkv", width, 3 * width, std, random),
                Dense.create(parameters, name + ".proj", width, width, projectionStd, random), heads);
    }

    /**
     * Attention over projections made elsewhere.
     *
     * @param qkv  C to 3C
     * @param proj C to C
     * @since 0.4.0
     */
    public static SelfAttention of(LinearMap qkv, LinearMap proj, int heads) {
        int width = proj.in();
        if (qkv.out() != 3 * width || qkv.in() != proj.out()) {
            throw new IllegalArgumentException("q/k/v projection " + qkv.in() + " -> " + qkv.out() + " does not fit "
                    + "output projection " + proj.in() + " -> " + proj.out());
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by " + heads + " heads");
        }
        return new SelfAttention(qkv, proj, heads);
    }

    /** x (B*T, C) to (B*T, C), causal and blind to padding. */
    public Var apply(Context context, Var x) {
        return apply(context, x, AttentionScope.causal());
    }

    /**
     * x (B*T, C) to (B*T, C), attending as {@code scope} says.
     *
     * @since 0.4.0
     */
    public Var apply(Context context, Var x, AttentionScope scope) {
        if (context.isCached()) {
            return cached(context, x, scope);
        }
        Var packed = scope.qkv(positioned(context, qkv.apply(context.tape(), x)));
        return proj.apply(context.tape(), mix(context, packed, scope));
    }

    /** Attention over the packed q/k/v: group by group when the scope has groups, else under the pass's mask. */
    private Var mix(Context context, Var packed, AttentionScope scope) {
        if (scope.groups() != null) {
            return GroupedAttention.apply(context.tape(), packed, context.batch(), heads, scope.groups());
        }
        return Attention.apply(context.tape(), packed, context.batch().batch(), context.batch().length(), heads,
                scope.mask(context, packed.value()));
    }

    /**
     * As {@link #apply(Context, Var, AttentionScope)}, with the attention probabilities, for recording.
     *
     * @since 0.8.0 (public)
     */
    public Attended attend(Context context, Var x, AttentionScope scope) {
        if (context.isCached()) {
            return new Attended(cached(context, x, scope), null);
        }
        int batch = context.batch().batch();
        int length = context.batch().length();
        Var packed = scope.qkv(positioned(context, qkv.apply(context.tape(), x)));
        Var mixed = mix(context, packed, scope);
        // The probabilities over the whole sequence, zero outside a query's group: recording is for inspection.
        return new Attended(proj.apply(context.tape(), mixed),
                Attention.probabilities(packed.value(), batch, length, heads, scope.mask(context, x.value())));
    }

    /**
     * Attention's output and its probabilities.
     *
     * @param output        (B*T, C)
     * @param probabilities (B, H, T, T)
     * @since 0.8.0 (public)
     */
    public record Attended(Var output, INDArray probabilities) {
    }

    /**
     * x (B*T, C) to (B*T, C) under an explicit additive mask (B, T, T), with a hook on the packed q/k/v.
     *
     * @deprecated since 0.4.0; use {@link #apply(Context, Var, AttentionScope)}
     */
    @Deprecated(since = "0.4.0")
    public Var apply(Context context, Var x, INDArray mask, UnaryOperator<Var> qkvHook) {
        Var packed = qkvHook.apply(positioned(context, qkv.apply(context.tape(), x)));
        Var mixed = Attention.apply(context.tape(), packed, context.batch().batch(), context.batch().length(), heads,
                mask);
        return proj.apply(context.tape(), mixed);
    }

    /**
     * Incremental decoding: the new tokens' keys and values go into the pass's cache slot (unless the scope reads
     * another slot's), and each new token's query attends over the keys its row holds there.
     */
    private Var cached(Context context, Var x, AttentionScope scope) {
        if (!scope.cacheable()) {
            throw new IllegalStateException("attention under an explicit batch mask cannot be decoded incrementally;"
                    + " use AttentionScope.causalWhere");
        }
        Context.Cached pass = context.cachedPass();
        Var projected = qkv.apply(context.tape(), x);
        Var packed = context.rotary() ? Rotary.apply(context.tape(), projected, context.positions(), heads)
                : projected;
        INDArray mixed = pass.cache().attend(pass.nextSlots(), scope.keysOf(), packed.value(), pass.tokenRow(),
                pass.position(), heads, scope.visibility());
        return proj.apply(context.tape(), Var.constant(mixed));
    }

    /** The projected q/k/v, with queries and keys rotated by position when the pass uses rotary embeddings. */
    private Var positioned(Context context, Var projected) {
        return context.rotary() ? Rotary.apply(context.tape(), projected, context.batch().batch(),
                context.batch().length(), heads) : projected;
    }
}
