package org.recursa.plugins.universal;

import org.recursa.api.model.Capability;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.RecurrentDecoderModel;
import org.recursa.engine.nn.Recurrence;
import org.recursa.engine.nn.StepState;
import org.recursa.engine.nn.Dense;
import org.recursa.engine.nn.IdentityGate;
import org.recursa.engine.ops.Activations;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Embedding;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;

/**
 * Universal Transformer (Dehghani et al., 2019), decoder-only and pre-norm as in tensor2tensor: one block whose
 * weights are shared by every step, with the position and a learned step embedding added before each step.
 * <pre>
 *   h_0 = E[x] + P
 *   h_t = Block(h_{t-1} + P + S_t),  t = 1..T            (without ACT)
 * </pre>
 * With Adaptive Computation Time (per position, as tensor2tensor's {@code universal_transformer_act}):
 * <pre>
 *   p_t = sigmoid(w . s_t + b), b initialised to 1         halting probability per position
 *   running positions with  sum p + p_t > 1 - eps  halt: their remainder R = 1 - sum of earlier p
 *   w_t = p_t (still running) | R (halting now) | 0 (halted)
 *   s_{t+1} = Block(s_t + P + S_t);  out = s_{t+1} w_t + out (1 - w_t)
 *   ponder loss = tau * mean over real tokens of (N + R)
 * </pre>
 * The loop stops when every real position has halted or T steps have run; the state keeps evolving for all
 * positions (halted ones simply stop contributing to the output), as in tensor2tensor.
 * <p>A recorder sees each step as {@code recursion.<t>}; with ACT, only the positions the step weighs into the
 * output (running or halting at it) count as active.
 */
final class UniversalModel extends RecurrentDecoderModel {

    /** ACT settings: threshold is {@code 1 - epsilon}; {@code ponderWeight} is tau. */
    record Act(boolean enabled, double threshold, double ponderWeight, double haltingBias, boolean recordPonder) {
    }

    /**
     * The stabilisers of deep test-time looping ("Thinking Deeper, Not Longer", Chen 2026): LayerScale on the block's
     * two branches, initialised to {@code layerScale} (0: none), and an identity-biased recurrence
     * {@code h_t = h_{t-1} + sigmoid(a) (Block(h_{t-1} + P + S_t) - h_{t-1})} with a learnable scalar a initialised
     * to {@code gateBias}, so that each step starts close to the identity.
     */
    record Stabilisers(double layerScale, boolean identityGate, double gateBias) {

        static final Stabilisers NONE = new Stabilisers(0, false, 0);
    }

    /** The deepest pass: test-time depth scaling explores up to here. */
    static final int MAX_DEPTH = 256;

    private final Block block;
    private final Parameter steps;
    private final Dense halting;
    private final int maxSteps;
    private final Act act;
    private final IdentityGate gate;

    UniversalModel(ModelSpec spec, Block.Shape shape, int maxSteps, double dropout, Act act) {
        this(spec, shape, maxSteps, dropout, act, Stabilisers.NONE);
    }

    UniversalModel(ModelSpec spec, Block.Shape shape, int maxSteps, double dropout, Act act, Stabilisers stabilisers) {
        this(spec, shape, maxSteps, dropout, act, stabilisers, new SplittableRandom(spec.seed()));
    }

    private UniversalModel(ModelSpec spec, Block.Shape shape, int maxSteps, double dropout, Act act,
                           Stabilisers stabilisers, SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.maxSteps = maxSteps;
        this.act = act;
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * maxSteps);
        this.block = stabilisers.layerScale() > 0
                ? Block.createLayerScaled(parameters, "block", shape, projectionStd, stabilisers.layerScale(), init)
                : Block.create(parameters, "block", shape, projectionStd, init);
        this.steps = parameters.add("embed.steps", Init.normal(init, Block.Shape.STD, maxSteps, shape.width()));
        if (act.enabled()) {
            this.halting = Dense.create(parameters, "halting", shape.width(), 1, Block.Shape.STD, init);
            halting.bias().value().assign(act.haltingBias());
        } else {
            this.halting = null;
        }
        this.gate = stabilisers.identityGate() ? IdentityGate.create(parameters, "gate", stabilisers.gateBias()) : null;
    }

    /** One step: the block on the state plus signals, through the identity-biased gate when there is one. */
    private Var step(Context context, Var h, int t) {
        return gated(context.tape(), h, block.apply(context.at("recursion", t + 1), withSignals(context, h, t)));
    }

    /** {@code h + sigmoid(a) (y - h)} with the identity gate, else y. */
    private Var gated(org.recursa.engine.Tape tape, Var h, Var y) {
        return gate == null ? y : gate.apply(tape, h, y);
    }

    @Override
    protected Body body(Context context, Var x) {
        return body(context, x, ForwardOptions.DEFAULT);
    }

    @Override
    protected Body body(Context context, Var x, ForwardOptions options) {
        int depth = options.depthOr(maxSteps);
        List<Var> steps = new ArrayList<>();
        Body body = act.enabled() ? adaptive(context, x, depth, options.supervision() != null ? steps : null)
                : fixed(context, x, depth, options.supervision() != null ? steps : null);
        return new Body(body.hidden(), body.auxLosses(), body.depth(), body.stats(), steps, List.of());
    }

    /** T steps; each step's state is added to {@code steps} when it is not null. */
    private Body fixed(Context context, Var x, int depth, List<Var> steps) {
        Var h = x;
        for (int t = 0; t < depth; t++) {
            h = step(context, h, t);
            if (steps != null) {
                steps.add(h);
            }
        }
        return Body.of(h);
    }

    private Body adaptive(Context context, Var x, int stepLimit, List<Var> steps) {
        var tape = context.tape();
        int n = context.batch().ids().length;
        INDArray real = context.batch().keep().reshape(n, 1);                      // (N, 1) 1 for real tokens
        INDArray probability = Nd4j.zeros(real.dataType(), n, 1);                  // sum of p while running
        INDArray updates = Nd4j.zeros(real.dataType(), n, 1);                      // N(t)
        Var haltSum = Var.constant(Nd4j.zeros(real.dataType(), n, 1));             // differentiable sum of p
        Var remainders = Var.constant(Nd4j.zeros(real.dataType(), n, 1));          // R(t), differentiable
        Var state = x;
        Var output = Var.constant(Nd4j.zeros(x.value().dataType(), x.shape()));
        int step = 0;
        // Incrementally every step runs: a later token may still be running and attend to this one's deeper states
        // (halted states keep evolving, unweighted), which a full pass computes while any token runs.
        while (step < stepLimit && (context.isCached() || anyRunning(probability, real))) {
            Var input = withSignals(context, state, step);
            Var p = Activations.sigmoid(tape, halting.apply(tape, input));         // (N, 1)
            INDArray running = probability.lt(1.0).castTo(real.dataType()).muli(real);
            INDArray projected = probability.add(p.value().mul(running));
            INDArray halted = projected.gt(act.threshold()).castTo(real.dataType()).muli(running);
            running = projected.lte(act.threshold()).castTo(real.dataType()).muli(running);

            Var pRunning = Elementwise.mul(tape, p, Var.constant(running));
            haltSum = Elementwise.add(tape, haltSum, pRunning);
            Var remainderNow = Elementwise.mul(tape, Elementwise.shift(tape, Elementwise.scale(tape, haltSum, -1), 1),
                    Var.constant(halted));                                         // (1 - sum p) where halting now
            remainders = Elementwise.add(tape, remainders, remainderNow);
            probability.addi(p.value().mul(running)).addi(remainderNow.value());
            updates.addi(running).addi(halted);
            Var weight = Elementwise.add(tape, pRunning, remainderNow);            // (N, 1)

            state = gated(tape, state, block.apply(recorded(context, step, running, halted), input));
            Var keepOld = Elementwise.shift(tape, Elementwise.scale(tape, weight, -1), 1);
            output = Elementwise.add(tape, Elementwise.mulColumn(tape, state, weight),
                    Elementwise.mulColumn(tape, output, keepOld));
            if (steps != null) {
                steps.add(output);
            }
            step++;
        }
        double realCount = Math.max(1, real.sumNumber().doubleValue());
        Var ponder = Elementwise.scale(tape, Elementwise.sum(tape, Elementwise.add(tape,
                Var.constant(updates.mul(real)), Elementwise.mul(tape, remainders, Var.constant(real)))),
                act.ponderWeight() / realCount);
        // Ponder time N + R is what the ponder loss penalises and what Graves reports; N alone (the steps taken)
        // stays available as act_depth=steps.
        INDArray ponderTime = updates.add(remainders.value());
        double[] depth = (act.recordPonder() ? ponderTime : updates).dup().data().asDouble();
        double meanSteps = updates.mul(real).sumNumber().doubleValue() / realCount;
        double meanPonder = ponderTime.mul(real).sumNumber().doubleValue() / realCount;
        return new Body(output, List.of(new Forward.NamedLoss("ponder", ponder, realCount)), depth,
                Map.of("mean_depth", act.recordPonder() ? meanPonder : meanSteps, "mean_steps", meanSteps,
                        "mean_ponder", meanPonder, "steps", (double) step));
    }

    /**
     * The context of step t for a recorder: {@code recursion.<t+1>}, counting the positions whose state this step
     * weighs into the output (still running, or halting now); the others' states keep evolving unweighted.
     */
    private static Context recorded(Context context, int step, INDArray running, INDArray halted) {
        if (!context.tracksSteps()) {
            return context;
        }
        double[] weighed = running.add(halted).dup().data().asDouble();
        boolean[] active = new boolean[weighed.length];
        for (int i = 0; i < active.length; i++) {
            active[i] = weighed[i] > 0;
        }
        return context.at("recursion." + (step + 1), active);
    }

    private static boolean anyRunning(INDArray probability, INDArray real) {
        return probability.lt(1.0).castTo(real.dataType()).muli(real).sumNumber().doubleValue() > 0;
    }

    /**
     * The state plus the position signal (learned or sinusoidal; none with rotary or no positions) and the learned
     * embedding of step t, both shared by the batch. Steps beyond the T trained ones (test-time depth scaling) take
     * the last step's embedding: the step signal says "deep", not a depth the model never saw.
     */
    private Var withSignals(Context context, Var h, int t) {
        Var positions = positionRows(context);                                    // (T, C), or (B*T, C) incrementally
        int[] stepIds = new int[positions == null ? context.batch().length() : (int) positions.value().rows()];
        java.util.Arrays.fill(stepIds, Math.min(t, maxSteps - 1));
        return withSignals(context, h, positions, stepIds);
    }

    /** As {@link #withSignals(Context, Var, int)}, each token of an incremental pass at its own step. */
    private Var withSignals(Context context, Var h, int[] t) {
        int[] stepIds = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            stepIds[i] = Math.min(t[i], maxSteps - 1);
        }
        return withSignals(context, h, positionRows(context), stepIds);
    }

    private Var withSignals(Context context, Var h, Var positions, int[] stepIds) {
        Var signal = Embedding.apply(context.tape(), steps, stepIds);
        if (positions != null) {
            signal = Elementwise.add(context.tape(), positions, signal);
        }
        return Elementwise.addTiled(context.tape(), h, signal);
    }

    @Override
    protected Recurrence recurrence(ForwardOptions options) {
        return new Stepwise();
    }

    /**
     * The loop one step at a time: each token at its own step t gets its step embedding; with ACT, each token carries
     * its weighted output, cumulative halting probability and sum of p, and reports itself halted once its
     * probability reaches 1 (its output is final; its state keeps evolving if it is advanced, as in the full pass).
     */
    private final class Stepwise implements Recurrence {

        @Override
        public StepState enter(Context context, Var x) {
            if (!act.enabled()) {
                return StepState.of(x.value(), Map.of());
            }
            int n = (int) x.value().rows();
            INDArray zeros = Nd4j.zeros(x.value().dataType(), n, 1);
            return StepState.of(x.value(), Map.of("output", Nd4j.zeros(x.value().dataType(), x.shape()),
                    "probability", zeros, "halt_sum", zeros.dup()));
        }

        @Override
        public StepState step(Context context, StepState state, int[] depth) {
            var tape = context.tape();
            Context named = context.atEach(i -> "recursion." + (depth[i] + 1));
            Var h = Var.constant(state.latent());
            Var input = withSignals(context, h, depth);
            if (!act.enabled()) {
                return state.withLatent(gated(tape, h, block.apply(named, input)).value());
            }
            INDArray probability = state.extra("probability").dup();
            INDArray haltSum = state.extra("halt_sum");
            INDArray p = Activations.sigmoid(tape, halting.apply(tape, input)).value();
            INDArray running = probability.lt(1.0).castTo(p.dataType());
            INDArray projected = probability.add(p.mul(running));
            INDArray halted = projected.gt(act.threshold()).castTo(p.dataType()).muli(running);
            running = projected.lte(act.threshold()).castTo(p.dataType()).muli(running);
            INDArray pRunning = p.mul(running);
            INDArray sum = haltSum.add(pRunning);
            INDArray remainderNow = sum.neg().addi(1).muli(halted);
            probability.addi(p.mul(running)).addi(remainderNow);
            INDArray weight = pRunning.add(remainderNow);
            Var next = gated(tape, h, block.apply(named, input));
            INDArray output = next.value().mulColumnVector(weight)
                    .addi(state.extra("output").mulColumnVector(weight.neg().addi(1)));
            double[] cumulative = probability.dup().data().asDouble();
            boolean[] stopped = new boolean[cumulative.length];
            for (int i = 0; i < stopped.length; i++) {
                stopped[i] = cumulative[i] >= 1.0;
            }
            return new StepState(next.value(), Map.of("output", output, "probability", probability, "halt_sum", sum),
                    cumulative, stopped);
        }

        @Override
        public Var exit(Context context, StepState state) {
            return Var.constant(act.enabled() ? state.extra("output") : state.latent());
        }
    }

    /** With ACT, the model's own halting probability per position. */
    @Override
    protected Set<Capability> capabilities() {
        Set<Capability> capabilities = super.capabilities();
        if (act.enabled()) {
            capabilities.add(Capability.HALTING);
        }
        return capabilities;
    }

    @Override
    public int defaultDepth() {
        return maxSteps;
    }

    @Override
    public int maxDepth() {
        return MAX_DEPTH;
    }

    @Override
    protected long stepFlopsPerToken() {
        return shape.flopsPerToken(spec.maxLength());
    }

    @Override
    protected int[] layers() {
        return new int[] {1, maxSteps};
    }

    @Override
    protected String architecture() {
        return UniversalArchitecture.ID;
    }
}
