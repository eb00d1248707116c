package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Attention;

/** Causal multi-head self-attention: packed q/k/v projection, attention, output projection. */
public final class SelfAttention {

    private final Dense qkv;
    private final Dense proj;
    private final int heads;

    private SelfAttention(Dense qkv, Dense proj, int heads) {
        this.qkv = qkv;
        this.proj = proj;
        this.heads = heads;
    }

    /**
     * @param projectionStd std of the output projection, scaled down with depth as in GPT-2
     */
    public static SelfAttention create(ParameterSet parameters, String name, int width, int heads, double std,
                                       double projectionStd, SplittableRandom random) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by " + heads + " heads");
        }
        return new SelfAttention(Dense.create(parameters, name + ".qkv", width, 3 * width, std, random),
                Dense.create(parameters, name + ".proj", width, width, projectionStd, random), heads);
    }

    /** x (B*T, C) to (B*T, C), causal and blind to padding. */
    public Var apply(Context context, Var x) {
        return apply(context, x, context.causalMask(x.value()), java.util.function.UnaryOperator.identity());
    }

    /**
     * x (B*T, C) to (B*T, C) under an explicit additive mask (B, T, T), with a hook that may replace the packed
     * (B*T, 3C) queries, keys and values before attention (recursive KV sharing reuses an earlier pass's keys
     * and values this way).
     */
    public Var apply(Context context, Var x, org.nd4j.linalg.api.ndarray.INDArray mask,
                     java.util.function.UnaryOperator<Var> qkvHook) {
        Var packed = qkvHook.apply(qkv.apply(context.tape(), x));
        Var mixed = Attention.apply(context.tape(), packed, context.batch().batch(), context.batch().length(), heads,
                mask);
        return proj.apply(context.tape(), mixed);
    }
}
