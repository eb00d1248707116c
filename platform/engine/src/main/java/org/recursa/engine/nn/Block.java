package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Dropout;
import org.recursa.engine.ops.Elementwise;

/**
 * A pre-norm transformer block (GPT-2 style):
 * {@code x = x + attn(ln1(x)); x = x + mlp(ln2(x))}. Recursive architectures apply one block many times.
 */
public final class Block {

    private final LayerNorm norm1;
    private final SelfAttention attention;
    private final LayerNorm norm2;
    private final Mlp mlp;

    private Block(LayerNorm norm1, SelfAttention attention, LayerNorm norm2, Mlp mlp) {
        this.norm1 = norm1;
        this.attention = attention;
        this.norm2 = norm2;
        this.mlp = mlp;
    }

    /**
     * Creates a block's parameters under {@code name}.
     *
     * @param shape         widths and heads
     * @param projectionStd std of the two residual output projections
     */
    public static Block create(ParameterSet parameters, String name, Shape shape, double projectionStd,
                               SplittableRandom random) {
        return new Block(LayerNorm.create(parameters, name + ".ln1", shape.width()),
                SelfAttention.create(parameters, name + ".attn", shape.width(), shape.heads(), Shape.STD,
                        projectionStd, random),
                LayerNorm.create(parameters, name + ".ln2", shape.width()),
                Mlp.create(parameters, name + ".mlp", shape.width(), shape.hidden(), Shape.STD, projectionStd, random));
    }

    /** x (B*T, C) to (B*T, C). */
    public Var apply(Context context, Var x) {
        return finish(context, x, attention.apply(context, norm1.apply(context.tape(), x)));
    }

    /**
     * x (B*T, C) to (B*T, C) with attention under {@code mask} (B, T, T) and a hook on the packed q/k/v; routed
     * architectures use it to restrict attention to the tokens they selected or to share keys and values.
     */
    public Var apply(Context context, Var x, org.nd4j.linalg.api.ndarray.INDArray mask,
                     java.util.function.UnaryOperator<Var> qkvHook) {
        return finish(context, x, attention.apply(context, norm1.apply(context.tape(), x), mask, qkvHook));
    }

    private Var finish(Context context, Var x, Var attention) {
        Var attended = Dropout.apply(context.tape(), attention, context.dropout(), context.random());
        Var h = Elementwise.add(context.tape(), x, attended);
        Var transformed = Dropout.apply(context.tape(), mlp.apply(context, norm2.apply(context.tape(), h)),
                context.dropout(), context.random());
        return Elementwise.add(context.tape(), h, transformed);
    }

    /**
     * A transformer's widths.
     *
     * @param width  model width C
     * @param heads  attention heads
     * @param hidden feed-forward width
     */
    public record Shape(int width, int heads, int hidden) {

        /** GPT-2's initialisation std. */
        public static final double STD = 0.02;

        /**
         * Reads {@code d_model}, {@code heads} and {@code ffn} from an architecture's settings.
         *
         * @throws org.recursa.api.ConfigException if the heads do not divide the width
         */
        public static Shape fromConfig(org.recursa.api.Config config) {
            int width = config.getInt("d_model");
            int heads = config.getInt("heads");
            if (width % heads != 0) {
                throw new org.recursa.api.ConfigException("setting 'heads' (" + heads + ") must divide 'd_model' ("
                        + width + ")");
            }
            return new Shape(width, heads, config.getInt("ffn"));
        }

        /** Matrix multiply-adds per token of one block, at sequence length T (attention scores included). */
        public long flopsPerToken(int length) {
            long projections = 4L * width * width + 2L * width * hidden;
            long attention = 2L * length * width;
            return 2 * (projections + attention);
        }

        /** Parameters of one block. */
        public long parameters() {
            return 4L * width * width + 4L * width + 2L * width * hidden + hidden + width + 4L * width;
        }

        /**
         * Values one application of a block keeps per token for the backward pass, at sequence length T: the two
         * norms' outputs, q/k/v, the attention scores and probabilities of every head, the attention and MLP
         * outputs, the MLP's hidden layer before and after the activation, and the two residual sums. An estimate
         * for sizing a run before building it, not an exact count of the tape.
         */
        public long activationsPerToken(int length) {
            return 10L * width + 2L * hidden + 2L * heads * length;
        }
    }
}
