package org.recursa.plugins.loopformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.RecurrentDecoderModel;
import org.recursa.engine.nn.Recurrence;
import org.recursa.engine.nn.StepState;
import org.recursa.engine.ops.Activations;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Norms;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;

/**
 * LoopFormer (Jeddi, Ciccone, Taati, ICLR 2026): B shared blocks looped along a trajectory of step sizes
 * Δ_1..Δ_S summing to 1, each loop told where it is and how large a step it takes.
 * <pre>
 *   h_0 = E[x] + P
 *   c_i = MLP_t(Fourier(t_{i-1})) + MLP_Δ(Fourier(Δ_i))     (1, C), shared by the batch
 *   t_{i-1} = Δ_1 + ... + Δ_{i-1}                          normalised time before loop i
 *   h_i = Block_B(... Block_1(h_{i-1}; c_i) ...; c_i)      i = 1..S (see LoopformerBlock)
 * </pre>
 * A pass runs the configured {@code schedule}, or S uniform steps of 1/S at depth S (by default S = L, the number
 * of loops). A training pass with the shortcut (the paper's recipe) runs the long trajectory [1/L]×L and, from the
 * same embeddings, a short one (length in 1..L−1, steps multiples of 1/L); the loss adds
 * {@code short_weight · CE(short)} (a supervised extra state) and
 * {@code consistency_weight · MSE(stopgrad(RMSNorm(h_long)), RMSNorm(h_short))} (an auxiliary loss).
 * <p>A recorder sees each block application as {@code loop.<i>.block.<j>} (the short trajectory's as
 * {@code short.<i>.block.<j>}).
 */
final class LoopformerModel extends RecurrentDecoderModel {

    /** The deepest pass: test-time depth scaling explores up to here. */
    static final int MAX_DEPTH = 256;

    /**
     * What the model is built with.
     *
     * @param blocks            B, shared blocks per loop
     * @param loops             L, the length of the trained long trajectory [1/L]×L
     * @param schedule          the steps of a pass at the default depth; empty for [1/L]×L
     * @param shortcut          whether training passes add the short trajectory and its two losses
     * @param shortWeight       weight of the short trajectory's cross-entropy
     * @param consistencyWeight weight of the consistency MSE
     * @param shortSchedule     a fixed short trajectory; empty to draw one per training step
     * @param fourierDims       Fourier features of t and Δ
     */
    record Settings(int blocks, int loops, double[] schedule, boolean shortcut, double shortWeight,
                    double consistencyWeight, double[] shortSchedule, int fourierDims) {
    }

    private final Settings settings;
    private final LoopformerBlock[] blocks;
    private final TimeEmbedder time;
    private final TimeEmbedder step;

    LoopformerModel(ModelSpec spec, Block.Shape shape, Settings settings, double dropout) {
        this(spec, shape, settings, dropout, new SplittableRandom(spec.seed()));
    }

    private LoopformerModel(ModelSpec spec, Block.Shape shape, Settings settings, double dropout,
                            SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.settings = settings;
        // GPT-2's residual projections scaled by the number of distinct blocks, as the authors' code does.
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * settings.blocks());
        this.blocks = new LoopformerBlock[settings.blocks()];
        for (int j = 0; j < blocks.length; j++) {
            blocks[j] = LoopformerBlock.create(parameters, "block." + j, shape, projectionStd, init);
        }
        this.time = TimeEmbedder.create(parameters, "time", settings.fourierDims(), shape.width(), init);
        this.step = TimeEmbedder.create(parameters, "step", settings.fourierDims(), shape.width(), init);
    }

    @Override
    protected Body body(Context context, Var x) {
        return body(context, x, ForwardOptions.DEFAULT);
    }

    @Override
    protected Body body(Context context, Var x, ForwardOptions options) {
        boolean training = context.tape().recording() && settings.shortcut();
        double[] trajectory = longTrajectory(options, training);
        List<Var> steps = options.supervision() != null ? new ArrayList<>() : null;
        Var hidden = run(context, x, trajectory, "loop", steps);
        if (!training || trajectory.length < 2) {
            return new Body(hidden, List.of(), null, Map.of(), steps == null ? List.of() : steps, List.of());
        }
        double[] shortTrajectory = settings.shortSchedule().length > 0 ? settings.shortSchedule()
                : Trajectory.sampleShort(trajectory.length, shortRandom(options, context));
        Var hiddenShort = run(context, x, shortTrajectory, "short", null);
        Forward.NamedLoss consistency = new Forward.NamedLoss("consistency", consistency(context, hidden, hiddenShort));
        Body.Extra extra = new Body.Extra("short", hiddenShort, settings.shortWeight());
        return new Body(hidden, List.of(consistency), null, Map.of("short_steps", (double) shortTrajectory.length),
                steps == null ? List.of() : steps, List.of(extra));
    }

    /**
     * The trajectory whose final state the pass returns: in training with the shortcut, the uniform one at the pass's
     * depth ([1/L]×L by default, the paper's long trajectory); otherwise the schedule when the pass runs at its
     * length (or the default depth), else uniform steps at the pass's depth.
     */
    private double[] longTrajectory(ForwardOptions options, boolean training) {
        double[] schedule = settings.schedule();
        if (!training && schedule.length > 0 && (options.depth() == 0 || options.depth() == schedule.length)) {
            return schedule;
        }
        return Trajectory.uniform(options.depth() == 0 ? settings.loops() : options.depth());
    }

    /**
     * The source of a training pass's short trajectory, seeded by (model seed, step) so that a resumed run draws
     * what an uninterrupted one would. A pass that does not say its step (-1) seeds by the batch's tokens instead:
     * consecutive batches still draw different trajectories, and a batch run twice (a finite-difference check) the
     * same one.
     */
    private SplittableRandom shortRandom(ForwardOptions options, Context context) {
        long salt = options.step() >= 0 ? options.step()
                : -1L - (31L * java.util.Arrays.hashCode(context.batch().ids()) + context.batch().length());
        return new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + salt);
    }

    /** The loops of one trajectory from the embeddings x; each loop's state is added to {@code steps} if given. */
    private Var run(Context context, Var x, double[] deltas, String name, List<Var> steps) {
        Tape tape = context.tape();
        double[] times = Trajectory.times(deltas);
        Var h = x;
        for (int i = 0; i < deltas.length; i++) {
            Var c = Elementwise.add(tape, time.apply(tape, times[i], x.value().dataType()),
                    step.apply(tape, deltas[i], x.value().dataType()));           // (1, C)
            Var silu = Activations.silu(tape, c);
            for (int j = 0; j < blocks.length; j++) {
                h = blocks[j].apply(recorded(context, name, i, j), h, silu);
            }
            if (steps != null) {
                steps.add(h);
            }
        }
        return h;
    }

    /**
     * The loops one at a time along the trajectory the session decodes with; a loop beyond it repeats the last step
     * size from where the trajectory ended. Each loop has its own conditioning, so tokens are stepped per depth.
     */
    @Override
    protected Recurrence recurrence(ForwardOptions options) {
        double[] deltas = longTrajectory(options, false);
        double[] times = Trajectory.times(deltas);
        return new Recurrence() {
            @Override
            public StepState enter(Context context, Var x) {
                return StepState.of(x.value(), Map.of());
            }

            @Override
            public StepState step(Context context, StepState state, int[] depth) {
                return Recurrence.perDepth(context, state, depth, (group, states, loop) -> {
                    Tape tape = group.tape();
                    double delta = deltas[Math.min(loop, deltas.length - 1)];
                    double t = loop < times.length ? times[loop]
                            : times[times.length - 1] + (loop - times.length + 1) * delta;
                    org.nd4j.linalg.api.buffer.DataType type = states.latent().dataType();
                    Var silu = Activations.silu(tape, Elementwise.add(tape, time.apply(tape, t, type),
                            step.apply(tape, delta, type)));
                    Var h = Var.constant(states.latent());
                    for (int j = 0; j < blocks.length; j++) {
                        h = blocks[j].apply(recorded(group, "loop", loop, j), h, silu);
                    }
                    return states.withLatent(h.value());
                });
            }

            @Override
            public Var exit(Context context, StepState state) {
                return Var.constant(state.latent());
            }
        };
    }

    private static Context recorded(Context context, String name, int loop, int block) {
        return context.tracksSteps() ? context.at(name + "." + (loop + 1) + ".block." + (block + 1)) : context;
    }

    /**
     * {@code consistency_weight · MSE(stopgrad(RMSNorm(h_long)), RMSNorm(h_short))}, the mean over the real tokens'
     * features (padding rows are left out of sum and count alike). The paper's h is after its final RMSNorm, whose
     * gain Recursa's shared final LayerNorm does not have; the states are compared RMS-normalised without a gain.
     */
    private Var consistency(Context context, Var hidden, Var hiddenShort) {
        Tape tape = context.tape();
        int n = context.batch().ids().length;
        INDArray real = context.batch().keep().reshape(n, 1).castTo(hidden.value().dataType());   // (N, 1)
        INDArray target = Norms.rmsNorm(Tape.inference(), Var.constant(hidden.value()), LoopformerBlock.EPS).value();
        Var difference = Elementwise.add(tape, Norms.rmsNorm(tape, hiddenShort, LoopformerBlock.EPS),
                Var.constant(target.neg()));
        Var masked = Elementwise.mulColumn(tape, difference, Var.constant(real));
        double count = Math.max(1, real.sumNumber().doubleValue()) * shape.width();
        return Elementwise.scale(tape, Elementwise.sum(tape, Elementwise.mul(tape, masked, masked)),
                settings.consistencyWeight() / count);
    }

    @Override
    public int defaultDepth() {
        return settings.schedule().length > 0 ? settings.schedule().length : settings.loops();
    }

    @Override
    public int maxDepth() {
        return MAX_DEPTH;
    }

    /** B blocks, their modulation and the conditioning, the per-sequence parts spread over the tokens. */
    @Override
    protected long stepFlopsPerToken() {
        int length = spec.maxLength();
        long perSequence = settings.blocks() * LoopformerBlock.modulationFlopsPerSequence(shape)
                + 2 * TimeEmbedder.flops(settings.fourierDims(), shape.width());
        return settings.blocks() * shape.flopsPerToken(length) + perSequence / length;
    }

    @Override
    protected int[] layers() {
        return new int[] {settings.blocks(), settings.blocks() * defaultDepth()};
    }

    @Override
    protected String architecture() {
        return LoopformerArchitecture.ID;
    }
}
