package org.recursa.plugins.recurrentdepth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.Dense;
import org.recursa.engine.nn.IdentityGate;
import org.recursa.engine.nn.RecurrentDecoderModel;
import org.recursa.engine.nn.Recurrence;
import org.recursa.engine.nn.StepState;
import org.recursa.engine.ops.Columns;
import org.recursa.engine.train.ForwardOptions;

/**
 * The recurrent-depth transformer (Geiping et al. 2025, "Huginn"), decoder-only, on the engine's pre-norm blocks:
 * <pre>
 *   e   = Prelude(E[x] + P)                          prelude_layers blocks, once
 *   s_0 ~ TruncNormal(0, 2/(5C)) at +-3 std          or zeros (init_state)
 *   s_i = R(A [s_{i-1} | e] + a),  i = 1..r           A (C, 2C): input injection; R: recurrent_layers blocks
 *   h   = Coda(s_r)                                   coda_layers blocks, then the final norm and head
 * </pre>
 * An inference pass, and any pass outside a training step, runs r = the requested depth or mean_recurrence. A pass
 * on a training tape back-propagates through the last k = min(backprop_depth, r) recursions only: the recursions
 * before them run without recording anything, and the state entering the last k is a constant. At a training step
 * (and unless sample_recurrence is off) r is drawn from a Poisson-log-normal around the requested depth
 * ({@link Draws#recurrence}) from a source seeded by the model's seed and the step.
 * <p>A recorder sees {@code prelude.<l>}, {@code recursion.<i>.layer.<l>} and {@code coda.<l>}, counted from 1.
 */
final class RecurrentDepthModel extends RecurrentDecoderModel {

    /** The deepest pass: test-time depth scaling explores up to here. */
    static final int MAX_DEPTH = 256;

    /**
     * The architecture's own settings.
     *
     * @param randomState whether s_0 is drawn (init_state=random) rather than zero
     */
    record Settings(int preludeLayers, int recurrentLayers, int codaLayers, int meanRecurrence, int backpropDepth,
                    double sigma, boolean sampleRecurrence, boolean randomState, Stabilisers stabilisers) {

        int effectiveLayers() {
            return preludeLayers + recurrentLayers * meanRecurrence + codaLayers;
        }
    }

    /**
     * The stabilisers of deep looping ("Thinking Deeper, Not Longer"), as for universal: LayerScale on the recurrent
     * blocks' branches initialised to {@code layerScale} (0: none), and the identity-biased recurrence
     * {@code s_i = s_{i-1} + sigmoid(a) (R(A [s_{i-1} | e] + a_0) - s_{i-1})}, a learnable and initialised to
     * {@code gateBias}.
     */
    record Stabilisers(double layerScale, boolean identityGate, double gateBias) {

        static final Stabilisers NONE = new Stabilisers(0, false, 0);
    }

    private final Settings settings;
    private final IdentityGate gate;
    private final List<Block> prelude = new ArrayList<>();
    private final Dense adapter;
    private final List<Block> recurrent = new ArrayList<>();
    private final List<Block> coda = new ArrayList<>();
    private final double stateStd;

    RecurrentDepthModel(ModelSpec spec, Block.Shape shape, Settings settings, double dropout) {
        this(spec, shape, settings, dropout, new SplittableRandom(spec.seed()));
    }

    private RecurrentDepthModel(ModelSpec spec, Block.Shape shape, Settings settings, double dropout,
                                SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.settings = settings;
        // GPT-2's 1/sqrt(2L) on the residual projections, L the block applications of a pass at the mean depth.
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * settings.effectiveLayers());
        for (int l = 0; l < settings.preludeLayers(); l++) {
            prelude.add(Block.create(parameters, "prelude." + l, shape, projectionStd, init));
        }
        // Huginn's small-init std sqrt(2/(5 fan_in)) on the 2C inputs: the adapter keeps the scale of what it mixes
        // instead of shrinking the state 0.02 sqrt(2C)-fold at every recursion.
        this.adapter = Dense.create(parameters, "adapter", 2 * shape.width(), shape.width(),
                Math.sqrt(2.0 / (5.0 * 2 * shape.width())), init);
        double layerScale = settings.stabilisers().layerScale();
        for (int l = 0; l < settings.recurrentLayers(); l++) {
            recurrent.add(layerScale > 0
                    ? Block.createLayerScaled(parameters, "recurrent." + l, shape, projectionStd, layerScale, init)
                    : Block.create(parameters, "recurrent." + l, shape, projectionStd, init));
        }
        for (int l = 0; l < settings.codaLayers(); l++) {
            coda.add(Block.create(parameters, "coda." + l, shape, projectionStd, init));
        }
        this.stateStd = Math.sqrt(2.0 / (5.0 * shape.width()));
        this.gate = settings.stabilisers().identityGate()
                ? IdentityGate.create(parameters, "gate", settings.stabilisers().gateBias()) : null;
    }

    @Override
    protected Body body(Context context, Var x) {
        return body(context, x, ForwardOptions.DEFAULT);
    }

    @Override
    protected Body body(Context context, Var x, ForwardOptions options) {
        Tape tape = context.tape();
        boolean training = tape.recording();
        boolean trainingStep = training && options.step() >= 0;
        int depth = options.depthOr(settings.meanRecurrence());
        int r = trainingStep && settings.sampleRecurrence()
                ? Draws.recurrence(depth, settings.sigma(), MAX_DEPTH,
                        Draws.source(spec.seed(), options.step(), Draws.RECURRENCE))
                : depth;
        int kept = training ? Math.min(settings.backpropDepth(), r) : r;

        Var e = prelude(context, x);
        // The recursions before the last `kept` run like torch.no_grad(): on a tape that records nothing (and so
        // without dropout). A recorded pass keeps its context so that every block application is reported.
        Context detached = kept == r || context.recording() ? context
                : new Context(Tape.inference(), context.batch(), context.dropout(), context.random(), context.rotary());
        boolean supervised = options.supervision() != null;
        List<Var> steps = new ArrayList<>();
        Var s = Var.constant(initialState(context, x, trainingStep ? options.step() : -1));
        for (int i = 0; i < r; i++) {
            Context step = i < r - kept ? detached : context;
            if (i == r - kept && i > 0) {
                s = Var.constant(s.value());                                  // stop-gradient: truncated backprop
            }
            Var before = s;
            s = adapter.apply(step.tape(), Columns.concat(step.tape(), s, e));  // (N, 2C) -> (N, C)
            for (int l = 0; l < recurrent.size(); l++) {
                s = recurrent.get(l).apply(step.at("recursion." + (i + 1) + ".layer", l + 1), s);
            }
            s = gated(step.tape(), before, s);
            if (supervised && i < r - 1) {
                // on the pass's own tape: a detached step's loss still trains the coda and head that read it out
                steps.add(decode(context, s, "recursion." + (i + 1) + ".coda"));
            }
        }
        Var hidden = decode(context, s, "coda");
        if (supervised) {
            steps.add(hidden);
        }
        return new Body(hidden, List.of(), perToken(context.batch(), r),
                Map.of("recurrence", (double) r, "backprop_depth", (double) kept), steps, List.of());
    }

    @Override
    protected Recurrence recurrence(ForwardOptions options) {
        return new Stepwise();
    }

    /**
     * The loop one step at a time: the prelude's output e is carried as the input every step injects, the latent
     * starts from the per-position draw (or zeros), and the coda runs on commit. New tokens at an open position keep
     * its latent and depth and bring a new e, as the parallel sampler of Geiping et al. expects.
     */
    private final class Stepwise implements Recurrence {

        @Override
        public StepState enter(Context context, Var x) {
            return StepState.of(initialState(context, x, -1), Map.of("e", prelude(context, x).value()));
        }

        @Override
        public StepState step(Context context, StepState state, int[] depth) {
            Tape tape = context.tape();
            Var before = Var.constant(state.latent());
            Var s = adapter.apply(tape, Columns.concat(tape, before, Var.constant(state.extra("e"))));
            for (int l = 0; l < recurrent.size(); l++) {
                int layer = l + 1;
                s = recurrent.get(l).apply(context.atEach(i -> "recursion." + (depth[i] + 1) + ".layer." + layer), s);
            }
            return state.withLatent(gated(tape, before, s).value());
        }

        @Override
        public Var exit(Context context, StepState state) {
            return decode(context, Var.constant(state.latent()), "coda");
        }

        @Override
        public boolean injectsInput() {
            return true;
        }

        @Override
        public StepState revise(Context context, StepState old, Var x) {
            return StepState.of(old.latent(), Map.of("e", prelude(context, x).value()));
        }
    }

    /** The prelude's blocks on the embedded tokens, recorded as {@code prelude.<l>}. */
    private Var prelude(Context context, Var x) {
        Var e = x;
        for (int l = 0; l < prelude.size(); l++) {
            e = prelude.get(l).apply(context.at("prelude", l + 1), e);
        }
        return e;
    }

    /** {@code before + sigmoid(a) (s - before)} with the identity gate, else s. */
    private Var gated(Tape tape, Var before, Var s) {
        return gate == null ? s : gate.apply(tape, before, s);
    }

    /** The coda on a state, its blocks recorded as {@code name.<l>}. */
    private Var decode(Context context, Var s, String name) {
        Var h = s;
        for (int l = 0; l < coda.size(); l++) {
            h = coda.get(l).apply(context.at(name, l + 1), h);
        }
        return h;
    }

    /**
     * s_0, (B*T, C): zeros, or truncated normals. At a training step every token gets its own draw, as in Huginn;
     * otherwise (step -1) every sequence gets the same per-position draw from a source whose seed is a constant, not
     * the model's: inference is deterministic, a checkpoint alone fixes what the model computes, and a row's logits
     * do not depend on the batch it shares.
     */
    private INDArray initialState(Context context, Var x, int step) {
        TokenBatch batch = context.batch();
        if (!settings.randomState()) {
            return Nd4j.zeros(x.value().dataType(), x.shape());
        }
        SplittableRandom random = step >= 0 ? Draws.source(spec.seed(), step, Draws.STATE)
                : Draws.source(Draws.INFERENCE_SEED, -1, Draws.STATE);
        if (step < 0 && context.isCached()) {
            return Draws.stateAtPositions(context.positions(), shape.width(), stateStd, random, x.value().dataType());
        }
        return step >= 0
                ? Draws.state(batch.ids().length, shape.width(), stateStd, random, x.value().dataType())
                : Draws.statePerPosition(batch.batch(), batch.length(), shape.width(), stateStd, random,
                        x.value().dataType());
    }

    /** r for every real token, 0 for padding. */
    private static double[] perToken(TokenBatch batch, int r) {
        double[] depth = new double[batch.ids().length];
        for (int b = 0; b < batch.batch(); b++) {
            Arrays.fill(depth, b * batch.length(), b * batch.length() + batch.lengths()[b], r);
        }
        return depth;
    }

    @Override
    public int defaultDepth() {
        return settings.meanRecurrence();
    }

    @Override
    public int maxDepth() {
        return MAX_DEPTH;
    }

    @Override
    protected long fixedFlopsPerToken() {
        return (long) (settings.preludeLayers() + settings.codaLayers()) * shape.flopsPerToken(spec.maxLength());
    }

    /** The recurrent blocks and the adapter's (2C -> C) multiply-adds, counted as the blocks' are (2 per MAC). */
    @Override
    protected long stepFlopsPerToken() {
        return settings.recurrentLayers() * shape.flopsPerToken(spec.maxLength())
                + 2L * 2 * shape.width() * shape.width();
    }

    @Override
    protected int[] layers() {
        return new int[] {settings.preludeLayers() + settings.recurrentLayers() + settings.codaLayers(),
                settings.effectiveLayers()};
    }

    @Override
    protected String architecture() {
        return RecurrentDepthArchitecture.ID;
    }

    /** What the model was built with. */
    Settings settings() {
        return settings;
    }
}
