package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.EnumSet;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.model.Capability;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.model.WeightSet;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Embedding;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.Recorder;
import org.recursa.engine.train.TrainableModel;

/**
 * What every decoder-only architecture shares: token and learned position embeddings, a final layer norm and
 * the output head, plus decoding support. A subclass supplies the {@link #body body} between them: a stack
 * of blocks, one block looped, or a routed recursion.
 */
@ConsumerType
public abstract class DecoderModel implements TrainableModel {

    /** The parameters; subclasses add theirs in their constructor. */
    protected final ParameterSet parameters = new ParameterSet();
    /** Widths and heads. */
    protected final Block.Shape shape;
    /** Vocabulary size and maximum length. */
    protected final ModelSpec spec;

    private final double dropout;
    private final long dropoutSeed;
    private final Parameter tokens;
    private final Parameter positions;
    private final LayerNorm finalNorm;
    private final Dense head;

    /**
     * @param init the random source for initial weights; subclasses keep drawing from it
     */
    protected DecoderModel(ModelSpec spec, Block.Shape shape, double dropout, SplittableRandom init) {
        this.spec = spec;
        this.shape = shape;
        this.dropout = dropout;
        this.dropoutSeed = spec.seed() ^ 0x5DEECE66DL;
        this.tokens = parameters.add("embed.tokens", Init.normal(init, Block.Shape.STD, spec.vocabularySize(),
                shape.width()));
        // Drawn only when learned, in the order models have always drawn their weights, so that a learned-position
        // model's initial weights are what they were before position encodings became a setting.
        this.positions = shape.positions() != PositionEncoding.LEARNED ? null : parameters.add("embed.positions",
                Init.normal(init, Block.Shape.STD, spec.maxLength(), shape.width()));
        this.finalNorm = LayerNorm.create(parameters, "final_norm", shape.width());
        this.head = Dense.create(parameters, "head", shape.width(), spec.vocabularySize(), Block.Shape.STD, init);
    }

    /**
     * Parameters of what every decoder shares, built by this class's constructor: token and (when learned)
     * position embeddings (V, C) and (T, C), the final norm's 2C and the head's (V, C) weight and V bias. An architecture's
     * {@link org.recursa.api.model.Architecture#parameterCount} adds its body's.
     */
    public static long sharedParameters(ModelSpec spec, Block.Shape shape) {
        long width = shape.width();
        long vocabulary = spec.vocabularySize();
        long positions = shape.positions() == PositionEncoding.LEARNED ? (long) spec.maxLength() * width : 0;
        return vocabulary * width + positions + 2 * width + width * vocabulary + vocabulary;
    }

    /**
     * Values the shared parts keep per token for the backward pass: the embedding and its sum with the position,
     * the final norm's output, and the logits with their softmax and its gradient. An estimate, as
     * {@link Block.Shape#activationsPerToken}.
     */
    public static long sharedActivationsPerToken(ModelSpec spec, Block.Shape shape) {
        return 3L * shape.width() + 3L * spec.vocabularySize();
    }

    /**
     * What the architecture computes between the embeddings and the final norm.
     *
     * @param context the pass's tape, batch and dropout
     * @param x       embedded tokens (B*T, C)
     */
    protected abstract Body body(Context context, Var x);

    /** Unique transformer layers (weight sets) and layers applied per token at full depth. */
    protected abstract int[] layers();

    /**
     * Forward multiply-adds per token of the body at full depth and maximum length; by default that many
     * standard blocks as {@link #layers()} says are applied. Architectures with extra parts or cheaper attention
     * override it.
     */
    protected long bodyFlopsPerToken() {
        return shape.flopsPerToken(spec.maxLength()) * layers()[1];
    }

    /** The architecture's id, for {@link #info()}. */
    protected abstract String architecture();

    @Override
    public final Forward forward(Tape tape, TokenBatch batch) {
        return forward(tape, batch, ForwardOptions.DEFAULT);
    }

    /**
     * The forward pass, reporting the embedded tokens ({@link Recorder#EMBED}) and every block application of the
     * body to {@code recorder}.
     *
     * @since 0.5.0
     */
    @Override
    public final Forward forward(Tape tape, TokenBatch batch, Recorder recorder) {
        return forward(tape, batch, ForwardOptions.DEFAULT.recordedBy(recorder));
    }

    /**
     * The forward pass as {@code options} say: the body runs at their depth ({@link #body(Context, Var,
     * ForwardOptions)}); with supervision of every step, each step's hidden state the body returns is read out and
     * weighted; the body's extra supervised states are read out too.
     *
     * @since 0.7.0
     */
    public final Forward forward(Tape tape, TokenBatch batch, ForwardOptions options) {
        if (batch.length() > spec.maxLength()) {
            throw new IllegalArgumentException("sequence length " + batch.length() + " exceeds the model's maximum "
                    + spec.maxLength());
        }
        return forward(new Context(tape, batch, dropout, dropoutRandom(batch, options),
                shape.positions() == PositionEncoding.ROPE, options.recorder()), options);
    }

    /**
     * The source of one pass's dropout masks, seeded by (model seed, training step, the batch's tokens) rather than
     * drawn from one stream the model keeps: data-parallel workers run passes on one model at once, and each draws
     * the same masks whatever order they run in; a resumed run draws what an uninterrupted one would.
     */
    private SplittableRandom dropoutRandom(TokenBatch batch, ForwardOptions options) {
        long salt = 31L * java.util.Arrays.hashCode(batch.ids()) + batch.length();
        return new SplittableRandom(dropoutSeed + 0x9E3779B97F4A7C15L * (options.step() + 2) + salt);
    }

    /** The forward pass in {@code context}: a full pass, or an incremental one over a cache. */
    private Forward forward(Context context, ForwardOptions options) {
        Tape tape = context.tape();
        TokenBatch batch = context.batch();
        Var embedded = Embedding.apply(tape, tokens, batch.ids());
        Var positionRows = positionRows(context);
        if (positionRows != null) {
            embedded = Elementwise.addTiled(tape, embedded, positionRows);
        }
        if (options.recorder() != null) {
            context.recordEmbedding(embedded);
        }
        Body body = body(context, embedded, options);
        Var logits = readout(tape, body.hidden());
        return new Forward(logits, body.auxLosses(), body.depth(), body.stats(),
                supervised(tape, body, logits, options));
    }

    /**
     * What the task loss supervises: nothing beyond the logits, unless every step is supervised (each step's
     * readout weighted by {@link org.recursa.engine.train.Supervision#weights}, the last step's being the logits) or
     * the body returns extra states (then the logits are supervised with weight 1 beside them).
     */
    private List<Forward.Supervised> supervised(Tape tape, Body body, Var logits, ForwardOptions options) {
        List<Forward.Supervised> supervised = new ArrayList<>();
        List<Var> steps = body.steps();
        if (options.supervision() != null && steps.size() > 1) {
            double[] weights = options.supervision().weights(steps.size());
            for (int t = 0; t < steps.size(); t++) {
                Var stepLogits = steps.get(t) == body.hidden() ? logits : readout(tape, steps.get(t));
                supervised.add(new Forward.Supervised("step." + (t + 1), stepLogits, weights[t]));
            }
        }
        if (!body.extra().isEmpty()) {
            if (supervised.isEmpty()) {
                supervised.add(new Forward.Supervised("final", logits, 1.0));
            }
            for (Body.Extra extra : body.extra()) {
                supervised.add(new Forward.Supervised(extra.name(), readout(tape, extra.hidden()), extra.weight()));
            }
        }
        return supervised;
    }

    /**
     * The logits of a hidden state (B*T, C): the final norm, then the head. Every supervised state is read out
     * through the same weights.
     *
     * @since 0.7.0
     */
    protected final Var readout(Tape tape, Var hidden) {
        return head.apply(tape, finalNorm.apply(tape, hidden));
    }

    /**
     * What the architecture computes between the embeddings and the final norm under {@code options}; by default
     * {@link #body(Context, Var)}, which fixed-depth architectures implement. Recurrent architectures override this
     * to run at {@link ForwardOptions#depthOr} and, when {@link ForwardOptions#supervision()} is set, return every
     * step's state in {@link Body#steps()}.
     *
     * @since 0.7.0
     */
    protected Body body(Context context, Var x, ForwardOptions options) {
        return body(context, x);
    }

    /**
     * The position signal of this batch's positions, (T, C): one row per position, to be added to every sequence
     * with {@link Elementwise#addTiled}; architectures that re-inject positions at every step use it. The learned
     * or sinusoidal table's rows; null for encodings that add nothing to the embeddings (rotary, none).
     */
    protected Var positionRows(Context context) {
        int length = context.batch().length();
        if (context.isCached()) {
            return context.positionRows(() -> tokenPositionRows(context));
        }
        return switch (shape.positions()) {
            case LEARNED -> Embedding.apply(context.tape(), positions, Embedding.range(length));
            case SINUSOIDAL -> Var.constant(PositionEncoding.sinusoid(length, shape.width()));
            case ROPE, NONE -> null;
        };
    }

    /** In an incremental pass, each token's own position row, (B*T, C); tiling it adds it once. */
    private Var tokenPositionRows(Context context) {
        int[] at = context.positions();
        return switch (shape.positions()) {
            case LEARNED -> Embedding.apply(context.tape(), positions, at);
            case SINUSOIDAL -> {
                INDArray table = PositionEncoding.sinusoid(spec.maxLength(), shape.width());
                yield Var.constant(table.getRows(at));
            }
            case ROPE, NONE -> null;
        };
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public ModelInfo info() {
        int[] layers = layers();
        long blockFlops = bodyFlopsPerToken();
        long headFlops = 2L * shape.width() * spec.vocabularySize();
        return new ModelInfo(architecture(), spec.vocabularySize(), spec.maxLength(), parameters.count(), layers[0],
                layers[1], blockFlops + headFlops, capabilities());
    }

    /**
     * What the model offers samplers: a key/value cache ({@link #openSession()}); recurrent, halting, routed and
     * KV-sharing architectures add theirs.
     *
     * @since 0.9.0
     */
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.KV_CACHE);
    }

    /**
     * A session over a key/value cache: a prefill is one full pass that stores every attention application's keys
     * and values, and each step computes only the new tokens.
     *
     * @since 0.9.0
     */
    @Override
    public DecodeSession openSession() {
        return openSession(ForwardOptions.DEFAULT);
    }

    /**
     * As {@link #openSession()}, with every pass under {@code options} (a recurrent model's depth).
     *
     * @since 0.9.0
     */
    DecodeSession openSession(ForwardOptions options) {
        return new CachedSession(this, options);
    }

    /**
     * Logits at the tokens {@code lastIndex} of a pass in {@code context}, with the depth each of them ran (the pass's
     * per-token depth, or the depth of the options for a body that reports none; 0 for a fixed-depth model).
     */
    final Next lastLogits(Context context, ForwardOptions options, int[] lastIndex) {
        try (Scratch scratch = Scratch.open("decode")) {
            Forward forward = forward(context, options);
            float[][] next = new float[lastIndex.length][];
            int[] depths = new int[lastIndex.length];
            for (int b = 0; b < lastIndex.length; b++) {
                next[b] = forward.logits().value().getRow(lastIndex[b]).toFloatVector();
                depths[b] = forward.depth() != null ? (int) Math.round(forward.depth()[lastIndex[b]])
                        : depthOf(options);
            }
            return new Next(next, depths);
        }
    }

    /** Next-token logits and the depth spent on each. */
    record Next(float[][] logits, int[] depths) {
    }

    /** The recursions a pass under {@code options} runs per token; 0 for a fixed-depth model. */
    int depthOf(ForwardOptions options) {
        return 0;
    }

    /**
     * The embedded tokens of an incremental pass, positions added: what the body receives.
     */
    final Var embed(Context context) {
        Var embedded = Embedding.apply(context.tape(), tokens, context.batch().ids());
        Var positionRows = positionRows(context);
        return positionRows == null ? embedded : Elementwise.addTiled(context.tape(), embedded, positionRows);
    }

    /** Logits of hidden states (N, C), outside a forward pass. */
    final float[][] logitsOf(Var hidden) {
        return readout(Tape.inference(), hidden).value().toFloatMatrix();
    }

    /** The data type of the model's parameters, which its passes compute in. */
    final org.nd4j.linalg.api.buffer.DataType dataType() {
        return tokens.value().dataType();
    }

    /** The model's width, for sizing a cache. */
    final int width() {
        return shape.width();
    }

    /** Whether attention rotates queries and keys by position. */
    final boolean rotary() {
        return shape.positions() == PositionEncoding.ROPE;
    }

    /** Forward FLOPs per token of a pass under {@code options}. */
    long flopsPerToken(ForwardOptions options) {
        return info().flopsPerToken();
    }

    @Override
    public float[][] nextTokenLogits(int[][] sequences) {
        return nextTokenLogits(sequences, ForwardOptions.DEFAULT);
    }

    /**
     * The logits of the token after each sequence, from a pass under {@code options}.
     *
     * @since 0.7.0
     */
    protected final float[][] nextTokenLogits(int[][] sequences, ForwardOptions options) {
        if (sequences.length == 0) {
            return new float[0][];
        }
        try (Scratch scratch = Scratch.open("decode")) {
            TokenBatch batch = TokenBatch.of(sequences, Vocabulary.PAD_ID);
            Var logits = forward(Tape.inference(), batch, options).logits();
            float[][] next = new float[sequences.length][];
            for (int b = 0; b < sequences.length; b++) {
                next[b] = logits.value().getRow((long) b * batch.length() + sequences[b].length - 1).toFloatVector();
            }
            return next;
        }
    }

    @Override
    public WeightSet weights() {
        return parameters.toWeightSet();
    }

    /**
     * The body's result.
     *
     * @param hidden    (B*T, C)
     * @param auxLosses weighted auxiliary losses
     * @param depth     per-token depth, or null
     * @param stats     diagnostics
     * @param steps     the state after each recursion step, the last being {@code hidden}, when every step is
     *                  supervised; empty otherwise (since 0.7.0)
     * @param extra     further states the task loss supervises, e.g. a shorter trajectory (since 0.7.0)
     */
    public record Body(Var hidden, List<Forward.NamedLoss> auxLosses, double[] depth, Map<String, Double> stats,
                       List<Var> steps, List<Extra> extra) {

        /** Copies the lists. */
        public Body {
            steps = List.copyOf(steps);
            extra = List.copyOf(extra);
        }

        /** A body without per-step or extra states. */
        public Body(Var hidden, List<Forward.NamedLoss> auxLosses, double[] depth, Map<String, Double> stats) {
            this(hidden, auxLosses, depth, stats, List.of(), List.of());
        }

        /** A body with no auxiliary output. */
        public static Body of(Var hidden) {
            return new Body(hidden, List.of(), null, Map.of());
        }

        /**
         * A further hidden state the task loss supervises.
         *
         * @param name   e.g. {@code short}
         * @param hidden (B*T, C), read out like the final state
         * @param weight what its cross-entropy is multiplied by
         * @since 0.7.0
         */
        public record Extra(String name, Var hidden, double weight) {
        }
    }
}
