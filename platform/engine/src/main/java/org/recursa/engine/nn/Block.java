package org.recursa.engine.nn;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Dropout;

/**
 * The transformer block of every architecture: pre-norm attention and MLP, each added back through a residual,
 * with dropout on the two branches.
 * <pre>
 *   h = res1(x, Attn(LN1(x); scope))
 *   y = res2(h, MLP(LN2(h)))
 * </pre>
 * Its parts vary: the four linear maps may be {@link Dense dense}, {@link SharedLinear shared} across depths, and
 * {@link LoraLinear LoRA}-relaxed; the residuals plain ({@code x + f(x)}) or {@link Residual#scaled scaled}; the
 * {@link AttentionScope} causal, under an explicit mask, with a hook on q/k/v. {@link #create},
 * {@link #createScaled} and {@link #withSharedWeights} make the three compositions the first-party architectures
 * use; {@link #of} assembles any other.
 */
public final class Block {

    private final LayerNorm norm1;
    private final SelfAttention attention;
    private final Residual attentionResidual;
    private final LayerNorm norm2;
    private final Mlp mlp;
    private final Residual mlpResidual;

    private Block(LayerNorm norm1, SelfAttention attention, Residual attentionResidual, LayerNorm norm2, Mlp mlp,
                  Residual mlpResidual) {
        this.norm1 = norm1;
        this.attention = attention;
        this.attentionResidual = attentionResidual;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.mlpResidual = mlpResidual;
    }

    /**
     * A block of parts made by the caller, in whatever order its parameters should be created.
     *
     * @since 0.4.0
     */
    public static Block of(LayerNorm norm1, SelfAttention attention, Residual attentionResidual, LayerNorm norm2,
                           Mlp mlp, Residual mlpResidual) {
        return new Block(norm1, attention, attentionResidual, norm2, mlp, mlpResidual);
    }

    /**
     * GPT-2's block: dense linear maps, plain residuals. Parameters {@code name.ln1}, {@code name.attn.qkv},
     * {@code name.attn.proj}, {@code name.ln2}, {@code name.mlp.up}, {@code name.mlp.down}, in that order.
     *
     * @param shape         widths and heads
     * @param projectionStd std of the two residual output projections
     */
    public static Block create(ParameterSet parameters, String name, Shape shape, double projectionStd,
                               SplittableRandom random) {
        return dense(parameters, name, shape, projectionStd, random, branch -> Residual.PLAIN);
    }

    /**
     * SReT's block: as {@link #create}, with learnable coefficients on both sides of both residual sums,
     * {@code h = a1 x + a2 Attn(..)}, {@code y = a3 h + a4 MLP(..)}, created last as {@code name.alpha.1..4}.
     *
     * @since 0.4.0
     */
    public static Block createScaled(ParameterSet parameters, String name, Shape shape, double projectionStd,
                                     SplittableRandom random) {
        // SReT's coefficients a1, a2 on the attention's sum, a3, a4 on the MLP's
        return dense(parameters, name, shape, projectionStd, random,
                branch -> Residual.scaled(parameters, name, 2 * branch - 1));
    }

    /**
     * GPT-2's block with LayerScale on both branches ({@link Residual#layerScale}): gains {@code name.ls1} and
     * {@code name.ls2} (C each) initialised to {@code layerScale}, created last; the random draws are those of
     * {@link #create}.
     *
     * @since 0.8.0
     */
    public static Block createLayerScaled(ParameterSet parameters, String name, Shape shape, double projectionStd,
                                          double layerScale, SplittableRandom random) {
        return dense(parameters, name, shape, projectionStd, random,
                branch -> Residual.layerScale(parameters, name + ".ls" + branch, shape.width(), layerScale));
    }

    /**
     * GPT-2's dense parts, in its parameter order, with the residual of branch 1 (attention) and branch 2 (MLP)
     * made by {@code residual} after them.
     */
    private static Block dense(ParameterSet parameters, String name, Shape shape, double projectionStd,
                               SplittableRandom random, java.util.function.IntFunction<Residual> residual) {
        LayerNorm norm1 = LayerNorm.create(parameters, name + ".ln1", shape.width());
        SelfAttention attention = SelfAttention.create(parameters, name + ".attn", shape.width(), shape.heads(),
                Shape.STD, projectionStd, random);
        LayerNorm norm2 = LayerNorm.create(parameters, name + ".ln2", shape.width());
        Mlp mlp = Mlp.create(parameters, name + ".mlp", shape.width(), shape.hidden(), Shape.STD, projectionStd,
                random);
        return of(norm1, attention, residual.apply(1), norm2, mlp, residual.apply(2));
    }

    /**
     * A block over weight matrices shared with other blocks (the relaxed recursive transformer's depth): its own
     * norms {@code name.ln1}, {@code name.ln2}, then per linear map in {@link BlockLinear} order its own bias
     * ({@code name.attn.qkv.bias}, ...) and, at rank r > 0, its own LoRA {@code name.attn.qkv.lora_a} (r', in) and
     * {@code lora_b} (out, r') with r' = min(r, in, out); plain residuals.
     *
     * @param loraRank r; 0 for none
     * @since 0.4.0
     */
    public static Block withSharedWeights(ParameterSet parameters, String name, Shape shape, BlockWeights weights,
                                          int loraRank, SplittableRandom random) {
        return withSharedWeights(parameters, name, shape, weights, loraRank, QkvLora.FUSED, random);
    }

    /**
     * As {@link #withSharedWeights(ParameterSet, String, Shape, BlockWeights, int, SplittableRandom)}, with the
     * q/k/v projection relaxed as {@code qkvLora} says: one LoRA ({@code name.attn.qkv.lora_a}, {@code lora_b}), or
     * one per projection ({@code name.attn.qkv.q.lora_a}, {@code name.attn.qkv.q.lora_b}, then k and v), each of
     * rank r' = min(r, C).
     *
     * @param loraRank r; 0 for none
     * @since 0.6.0
     */
    public static Block withSharedWeights(ParameterSet parameters, String name, Shape shape, BlockWeights weights,
                                          int loraRank, QkvLora qkvLora, SplittableRandom random) {
        LayerNorm norm1 = LayerNorm.create(parameters, name + ".ln1", shape.width());
        LayerNorm norm2 = LayerNorm.create(parameters, name + ".ln2", shape.width());
        Map<BlockLinear, LinearMap> maps = new EnumMap<>(BlockLinear.class);
        for (BlockLinear linear : BlockLinear.values()) {
            String path = name + "." + linear.path();
            LinearMap shared = SharedLinear.create(parameters, path, weights.get(linear));
            if (shared.in() != linear.in(shape) || shared.out() != linear.out(shape)) {
                throw new IllegalArgumentException("shared weight " + weights.get(linear) + " does not fit " + path
                        + " of a block of " + shape);
            }
            int rank = linear.rank(shape, loraRank);
            if (rank == 0) {
                maps.put(linear, shared);
            } else if (linear == BlockLinear.QKV) {
                maps.put(linear, qkvLora.relax(parameters, path, shared, rank, random));
            } else {
                maps.put(linear, LoraLinear.create(parameters, path, shared, rank, random));
            }
        }
        return of(norm1, SelfAttention.of(maps.get(BlockLinear.QKV), maps.get(BlockLinear.PROJ), shape.heads()),
                Residual.PLAIN, norm2, Mlp.of(maps.get(BlockLinear.UP), maps.get(BlockLinear.DOWN)), Residual.PLAIN);
    }

    /** x (B*T, C) to (B*T, C), attending causally and never to padding. */
    public Var apply(Context context, Var x) {
        return apply(context, x, AttentionScope.causal());
    }

    /**
     * x (B*T, C) to (B*T, C), attending as {@code scope} says; routed and sliced architectures restrict attention
     * to the tokens they select or share keys and values this way. When the pass is {@link Context#recording()
     * recorded}, the output and the attention probabilities are reported as one step (the deprecated overload below
     * reports nothing).
     *
     * @since 0.4.0
     */
    public Var apply(Context context, Var x, AttentionScope scope) {
        Var normed = norm1.apply(context.tape(), x);
        if (!context.recording()) {
            return finish(context, x, attention.apply(context, normed, scope));
        }
        SelfAttention.Attended attended = attention.attend(context, normed, scope);
        Var y = finish(context, x, attended.output());
        context.record(y, attended.probabilities());
        return y;
    }

    /**
     * x (B*T, C) to (B*T, C) with attention under {@code mask} (B, T, T) and a hook on the packed q/k/v.
     *
     * @deprecated since 0.4.0; use {@link #apply(Context, Var, AttentionScope)}
     */
    @Deprecated(since = "0.4.0")
    public Var apply(Context context, Var x, INDArray mask, UnaryOperator<Var> qkvHook) {
        return finish(context, x, attention.apply(context, norm1.apply(context.tape(), x), mask, qkvHook));
    }

    private Var finish(Context context, Var x, Var attention) {
        Tape tape = context.tape();
        Var attended = Dropout.apply(tape, attention, context.dropout(), context.random());
        Var h;
        Var normed;
        if (attentionResidual == Residual.PLAIN) {
            AddNorm.Result sum = norm2.applyToSum(tape, x, attended);      // one pass for the sum and its norm
            h = sum.sum();
            normed = sum.normed();
        } else {
            h = attentionResidual.apply(tape, x, attended);
            normed = norm2.apply(tape, h);
        }
        Var transformed = Dropout.apply(tape, mlp.apply(context, normed), context.dropout(), context.random());
        return mlpResidual.apply(tape, h, transformed);
    }

    /**
     * A transformer's widths and position encoding, and what a block of them costs in each composition.
     *
     * @param width     model width C
     * @param heads     attention heads
     * @param hidden    feed-forward width
     * @param positions how the model encodes positions (since 0.4.0)
     */
    public record Shape(int width, int heads, int hidden, PositionEncoding positions) {

        /** Checks the encoding is there and that rotary embeddings get an even head size. */
        public Shape {
            java.util.Objects.requireNonNull(positions, "positions");
            if (positions == PositionEncoding.ROPE && heads > 0 && width % heads == 0 && (width / heads) % 2 != 0) {
                throw new ConfigException("setting 'positions' = rope rotates pairs of features, so the head size "
                        + "d_model / heads must be even, got " + width + " / " + heads + " = " + width / heads);
            }
        }

        /** Widths with learned absolute positions, as before position encodings became a setting. */
        public Shape(int width, int heads, int hidden) {
            this(width, heads, hidden, PositionEncoding.LEARNED);
        }

        /** GPT-2's initialisation std. */
        public static final double STD = 0.02;
        /** Parameters of a {@link Block#createScaled scaled} block beyond those of a plain one. */
        public static final int RESIDUAL_COEFFICIENTS = 4;

        /**
         * Reads {@code d_model}, {@code heads}, {@code ffn} and {@code positions} ({@link TransformerSettings}) from an
         * architecture's settings; {@code positions} is {@code learned} when the architecture has no such setting.
         *
         * @throws ConfigException if the heads do not divide the width
         */
        public static Shape fromConfig(Config config) {
            int width = config.getInt(TransformerSettings.D_MODEL.key());
            int heads = config.getInt(TransformerSettings.HEADS.key());
            if (width % heads != 0) {
                throw new ConfigException("setting 'heads' (" + heads + ") must divide 'd_model' (" + width + ")");
            }
            return new Shape(width, heads, config.getInt(TransformerSettings.FFN.key()),
                    PositionEncoding.fromConfig(config));
        }

        /** Matrix multiply-adds per token of one block, at sequence length T (attention scores included). */
        public long flopsPerToken(int length) {
            long projections = 4L * width * width + 2L * width * hidden;
            long attention = 2L * length * width;
            return 2 * (projections + attention);
        }

        /** Parameters of one {@link Block#create dense} block, its matrices and its vectors. */
        public long parameters() {
            return matrixParameters() + vectorParameters();
        }

        /**
         * The four weight matrices, what blocks {@link Block#withSharedWeights sharing weights} share.
         *
         * @since 0.4.0
         */
        public long matrixParameters() {
            long matrices = 0;
            for (BlockLinear linear : BlockLinear.values()) {
                matrices += (long) linear.in(this) * linear.out(this);
            }
            return matrices;
        }

        /**
         * The four biases and the two norms' gains and shifts, which every block owns, even one sharing its weights.
         *
         * @since 0.4.0
         */
        public long vectorParameters() {
            long biases = 0;
            for (BlockLinear linear : BlockLinear.values()) {
                biases += linear.out(this);
            }
            return biases + 4L * width;
        }

        /**
         * LoRA factors of the four maps at rank r, each capped at full rank ({@link BlockLinear#rank}); 0 at r = 0.
         *
         * @since 0.4.0
         */
        public long loraParameters(int rank) {
            return loraParameters(rank, QkvLora.FUSED);
        }

        /**
         * LoRA factors of the four maps at rank r, with the q/k/v projection relaxed as {@code qkvLora} says: r'
         * (k in + out) for a map relaxed by k LoRAs on k slices of its outputs, r' = min(r, in, out) (for q/k/v,
         * 4 r' C fused, 3 r' (C + C) separate); 0 at r = 0.
         *
         * @since 0.6.0
         */
        public long loraParameters(int rank, QkvLora qkvLora) {
            long lora = 0;
            for (BlockLinear linear : BlockLinear.values()) {
                lora += (long) linear.rank(this, rank) * (pieces(linear, qkvLora) * linear.in(this) + linear.out(this));
            }
            return lora;
        }

        /**
         * Multiply-adds per token of the four LoRA corrections at rank r ({@code x A^T}, then {@code B}).
         *
         * @since 0.4.0
         */
        public long loraFlopsPerToken(int rank) {
            return loraFlopsPerToken(rank, QkvLora.FUSED);
        }

        /**
         * As {@link #loraFlopsPerToken(int)}, with the q/k/v projection relaxed as {@code qkvLora} says: every
         * factor is multiplied once per token.
         *
         * @since 0.6.0
         */
        public long loraFlopsPerToken(int rank, QkvLora qkvLora) {
            return 2 * loraParameters(rank, qkvLora);
        }

        /**
         * Values one block application keeps per token for the backward pass, at sequence length T: the two
         * norms' outputs, q/k/v, the attention scores and probabilities of every head, the attention and MLP
         * outputs, the MLP's hidden layer before and after the activation, and the two residual sums. An estimate
         * for sizing a run before building it, not an exact count of the tape.
         */
        public long activationsPerToken(int length) {
            return 10L * width + 2L * hidden + 2L * heads * length;
        }

        /**
         * What the LoRA corrections keep per token beyond {@link #activationsPerToken}: the four rank-r' products
         * {@code x A^T} and the four low-rank outputs (3C, C, the feed-forward width and C); 0 at r = 0.
         *
         * @since 0.4.0
         */
        public long loraActivationsPerToken(int rank) {
            return loraActivationsPerToken(rank, QkvLora.FUSED);
        }

        /**
         * As {@link #loraActivationsPerToken(int)}, with the q/k/v projection relaxed as {@code qkvLora} says: a map
         * relaxed by k > 1 LoRAs keeps k rank-r' products, the k narrow outputs and the out-wide row they are laid
         * side by side into (3 r' + 6C for separate q/k/v).
         *
         * @since 0.6.0
         */
        public long loraActivationsPerToken(int rank, QkvLora qkvLora) {
            long values = 0;
            for (BlockLinear linear : BlockLinear.values()) {
                int r = linear.rank(this, rank);
                int pieces = pieces(linear, qkvLora);
                values += r == 0 ? 0 : pieces * r + linear.out(this) + (pieces > 1 ? linear.out(this) : 0);
            }
            return values;
        }

        /** How many LoRAs relax one map: one, or for q/k/v as many as {@code qkvLora} has slices. */
        private static int pieces(BlockLinear linear, QkvLora qkvLora) {
            return linear == BlockLinear.QKV ? qkvLora.pieces() : 1;
        }

        /**
         * What a {@link Block#createScaled scaled} block keeps per token beyond {@link #activationsPerToken}: the
         * four scaled terms of its two residual sums.
         *
         * @since 0.4.0
         */
        public long scaledResidualActivationsPerToken() {
            return 4L * width;
        }
    }
}
