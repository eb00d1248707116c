package org.recursa.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.model.Architecture;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.model.RecurrentSession;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Parameter;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.Supervision;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/**
 * What every architecture built on the engine must do, checked on a tiny configuration. Call
 * {@link #verify} from a test; each failure is an {@link AssertionError} that says which property broke.
 */
public final class ArchitectureConformance {

    /** Vocabulary of the tiny problems used here. */
    public static final int VOCABULARY = 7;
    /** Maximum length of the tiny problems used here. */
    public static final int MAX_LENGTH = 6;
    private static final double SAME = 1e-5;
    /** Float32 logits against double ones, relative to the largest logit: float rounding over a few layers. */
    static final double FLOAT_AGREEMENT = 1e-4;
    /** Float32 gradients against double ones, relative to each parameter's largest gradient element. */
    static final double FLOAT_GRADIENT_AGREEMENT = 2e-3;

    private ArchitectureConformance() {
    }

    /**
     * Checks the architecture's size estimates (used to refuse a model that cannot fit before it is built) against
     * models it builds: {@link Architecture#parameterCount} must equal the built model's parameter count, and
     * {@link Architecture#activationsPerToken} must be positive, for each of {@code settings} on a small and a
     * larger vocabulary and length. An architecture that estimates nothing passes.
     *
     * @param settings settings overrides to try, each resolved against the architecture's schema
     */
    @SafeVarargs
    public static void estimatesMatchTheBuiltModel(TrainableArchitecture architecture, Map<String, String>... settings) {
        for (Map<String, String> overrides : settings) {
            Config config = architecture.schema().resolve(overrides);
            for (ModelSpec spec : List.of(new ModelSpec(VOCABULARY, MAX_LENGTH, 1), new ModelSpec(23, 41, 2))) {
                java.util.OptionalLong estimate = architecture.parameterCount(spec, config);
                long built = architecture.build(spec, config).info().parameters();
                if (estimate.isPresent() && estimate.getAsLong() != built) {
                    throw new AssertionError(architecture.id() + " " + overrides + " " + spec + ": parameterCount "
                            + "estimates " + estimate.getAsLong() + " parameters, the built model has " + built);
                }
                java.util.OptionalLong activations = architecture.activationsPerToken(spec, config);
                if (activations.isPresent() && activations.getAsLong() <= 0) {
                    throw new AssertionError(architecture.id() + " " + overrides + " " + spec
                            + ": activationsPerToken must be positive, was " + activations.getAsLong());
                }
            }
        }
    }

    /**
     * Runs every check.
     *
     * @param architecture the architecture under test
     * @param tiny         settings that make a small model (a few thousand parameters), e.g. d_model=8
     * @param scratch      a directory for checkpoint files
     */
    public static void verify(TrainableArchitecture architecture, Map<String, String> tiny, Path scratch) throws IOException {
        Config config = architecture.schema().resolve(tiny);
        rejectsUnknownSettings(architecture);
        verifyModels(architecture, tiny, scratch);
        gradientsMatchFiniteDifferences(architecture, config);
        if (build(architecture, config, 1) instanceof RecurrentModel) {
            everyStepSupervisionMatchesFiniteDifferences(architecture, config);
        }
    }

    /**
     * The checks of {@link #verify} that concern the models {@code settings} build, without the finite-difference
     * gradients: size and estimates, determinism, causality and padding, the full maximum length, the float32 kernel
     * path against the reference path (one forward and backward pass each), checkpoints, incremental decoding, and
     * the depth knob of a recurrent model, and passes on two threads at once. A few seconds for a tiny model. A compressor's target settings get these
     * ({@link CompressorConformance}); the architecture's own tests run {@link #verify}, whose finite-difference
     * gradient checks take minutes at larger settings.
     *
     * @param architecture the architecture
     * @param settings     its settings, e.g. those a compressor chose
     * @param scratch      a directory for checkpoint files
     */
    public static void verifyModels(TrainableArchitecture architecture, Map<String, String> settings, Path scratch)
            throws IOException {
        Config config = architecture.schema().resolve(settings);
        buildsDeterministically(architecture, config);
        reportsItsSize(architecture, config);
        estimatesMatchTheBuiltModel(architecture, settings);
        isCausalAndPaddingInvariant(architecture, config);
        handlesTheFullMaximumLength(architecture, config);
        float32KernelsAgreeWithTheReference(architecture, config);
        checkpointsRoundTrip(architecture, config, scratch);
        decodesIncrementallyAsItRecomputes(architecture, config);
        runsPassesOnSeveralThreadsAtOnce(architecture, config);
        if (build(architecture, config, 1) instanceof RecurrentModel) {
            depthIsAKnob(architecture, config);
        }
    }

    /**
     * Training passes that run on two threads at once on one model compute what each computes alone: the host's
     * data-parallel training ({@code train.threads}) runs a model's passes on several threads, so a model may keep
     * no per-pass state in its fields.
     */
    static void runsPassesOnSeveralThreadsAtOnce(TrainableArchitecture architecture, Config config) {
        TrainableModel model = build(architecture, config, 9);
        TokenBatch[] batches = {TokenBatch.of(new int[][] {{3, 4, 5, 6, 1, 2}, {5, 3, 1}}, 0),
                TokenBatch.of(new int[][] {{6, 5, 4}, {2, 1, 3, 4, 5}}, 0)};
        float[][] alone = {trainingLogits(model, batches[0]), trainingLogits(model, batches[1])};
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<float[]>> passes = new ArrayList<>();
            for (int pass = 0; pass < 16; pass++) {
                TokenBatch batch = batches[pass % 2];
                passes.add(threads.submit(() -> trainingLogits(model, batch)));
            }
            for (int pass = 0; pass < passes.size(); pass++) {
                assertClose(architecture.id() + ": a training pass run while another runs on a second thread computes "
                        + "otherwise than alone (the host trains on several threads at once: keep no per-pass state "
                        + "in the model's fields)", alone[pass % 2], passes.get(pass).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(architecture.id() + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(architecture.id() + ": a pass on a second thread failed: " + e.getCause(),
                    e.getCause());
        } finally {
            threads.shutdownNow();
        }
    }

    /** The logits of a training pass (at training step 5 for a recurrent model, which may draw per step). */
    private static float[] trainingLogits(TrainableModel model, TokenBatch batch) {
        Forward forward = model instanceof RecurrentModel recurrent
                ? recurrent.forward(Tape.training(), batch, new ForwardOptions(0, null, 5, null))
                : model.forward(Tape.training(), batch);
        return forward.logits().value().dup().data().asFloat();
    }

    /**
     * For a {@link RecurrentModel}: the default options are the plain pass, {@code atDepth} of the default depth
     * decodes the same, another depth computes something else (unless the model halts by itself), deeper than
     * {@code maxDepth} is refused, and FLOPs grow with depth. Weights are randomised first, so that zero-initialised
     * gates (AdaLN-zero) do not hide the depth.
     */
    static void depthIsAKnob(TrainableArchitecture architecture, Config config) {
        RecurrentModel model = (RecurrentModel) build(architecture, config, 7);
        TorchReference.randomizeWeights(model, 8, 0.3);
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 1, 2}, {5, 3, 1}}, 0);
        int depth = model.defaultDepth();
        if (depth < 1 || model.maxDepth() < depth) {
            throw new AssertionError(architecture.id() + ": default depth " + depth + " outside 1.."
                    + model.maxDepth());
        }
        float[] plain = model.forward(Tape.inference(), batch).logits().value().getRow(2).toFloatVector();
        float[] options = model.forward(Tape.inference(), batch, ForwardOptions.DEFAULT).logits().value().getRow(2)
                .toFloatVector();
        assertClose(architecture.id() + ": forward with default options differs from forward", plain, options);
        int[][] probe = {{3, 4, 5}};
        assertClose(architecture.id() + ": atDepth(defaultDepth) decodes differently", model.nextTokenLogits(probe)[0],
                model.atDepth(depth).nextTokenLogits(probe)[0]);
        int other = depth > 1 ? depth - 1 : depth + 1;
        // A halting model (one reporting per-token depth) may stop before either depth; a fixed loop may not.
        boolean halts = model.forward(Tape.inference(), batch).depth() != null;
        if (other <= model.maxDepth() && !halts && Arrays.equals(model.atDepth(other).nextTokenLogits(probe)[0],
                model.nextTokenLogits(probe)[0])) {
            throw new AssertionError(architecture.id() + ": a pass at depth " + other + " equals one at depth "
                    + depth);
        }
        if (model.flopsPerToken(depth + 1) <= model.flopsPerToken(depth)) {
            throw new AssertionError(architecture.id() + ": flopsPerToken does not grow with depth");
        }
        try {
            model.atDepth(model.maxDepth() + 1);
            throw new AssertionError(architecture.id() + ": atDepth beyond maxDepth " + model.maxDepth() + " accepted");
        } catch (IllegalArgumentException expected) {
            // refused, as the host relies on
        }
    }

    /**
     * For a {@link RecurrentModel} that can run two steps, under every-step supervision at depth 2: one supervised
     * output per step with {@link Supervision#weights}, and the gradient of their weighted sum (plus the auxiliary
     * losses) matches finite differences.
     */
    static void everyStepSupervisionMatchesFiniteDifferences(TrainableArchitecture architecture, Config config) {
        if (((RecurrentModel) build(architecture, config, 9)).maxDepth() < 2) {
            return;                         // one step: the final output is the only one to supervise
        }
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            // Freshly initialised, as the whole-model check: a loss with a stop-gradient (LoopFormer's consistency
            // against the detached long trajectory) has, by design, no analytic gradient through the detached side,
            // which only vanishes where both sides agree, as at initialisation.
            RecurrentModel model = (RecurrentModel) build(architecture, config, 9);
            TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 1, 2}, {5, 3, 1, 4}}, 0);
            int[] targets = shiftedTargets(batch);
            Supervision supervision = new Supervision(0.5, false);
            ForwardOptions options = new ForwardOptions(2, supervision, -1, null);   // -1: exactly depth 2, no sampling
            Forward probe = model.forward(Tape.inference(), batch, options);
            List<String> steps = probe.supervised().stream().map(Forward.Supervised::name)
                    .filter(name -> name.startsWith("step.")).toList();
            if (!steps.equals(List.of("step.1", "step.2"))) {
                throw new AssertionError(architecture.id() + ": every-step supervision at depth 2 supervised "
                        + steps + ", expected [step.1, step.2]");
            }
            Function<Tape, Var> loss = tape -> trainingLoss(tape, model.forward(tape, batch, options), targets);
            GradientCheck.check(architecture.id() + " supervised at every step", loss,
                    new ArrayList<>(model.parameters().all()), 6, 11);
        } finally {
            Precision.use(previous);
        }
    }

    /**
     * A model's {@link DecodeSession} gives the logits {@code nextTokenLogits} recomputes on the whole sequences: after
     * a prefill of prompts of different lengths, after steps of every row and of a subset, and after {@code select}
     * forks and drops rows; to 1e-5 in float and 1e-10 in double (the summation order differs), at the default depth
     * and, for a recurrent model, at another. Weights are randomised so that no zero-initialised part hides a
     * difference.
     */
    public static void decodesIncrementallyAsItRecomputes(TrainableArchitecture architecture, Config config) {
        DataType previous = Precision.dataType();
        try {
            for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
                Precision.use(type);
                TrainableModel model = build(architecture, config, 12);
                TorchReference.randomizeWeights(model, 13, 0.3);
                double tolerance = type == DataType.FLOAT ? SAME : 1e-10;
                compareSessions(architecture.id() + " (" + type + ")", model, tolerance);
                if (model instanceof RecurrentModel recurrent && recurrent.maxDepth() > 1) {
                    int depth = recurrent.defaultDepth() > 1 ? recurrent.defaultDepth() - 1 : 2;
                    compareSessions(architecture.id() + " at depth " + depth + " (" + type + ")",
                            recurrent.atDepth(depth), tolerance);
                }
            }
        } finally {
            Precision.use(previous);
        }
    }

    /**
     * {@link #decodesIncrementallyAsItRecomputes(TrainableArchitecture, Config)} with settings written
     * {@code key=value,key=value} (empty entries ignored), e.g. {@code "d_model=8,heads=2,positions=rope"}.
     */
    public static void decodesIncrementallyAsItRecomputes(TrainableArchitecture architecture, String settings) {
        Map<String, String> map = new java.util.HashMap<>();
        for (String pair : settings.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("setting '" + pair + "' is not key=value");
            }
            map.put(kv[0].trim(), kv[1].trim());
        }
        decodesIncrementallyAsItRecomputes(architecture, architecture.schema().resolve(map));
    }

    private static void compareSessions(String name, Model model, double tolerance) {
        List<int[]> rows = new ArrayList<>(List.of(new int[] {3, 4}, new int[] {5, 3, 1}, new int[] {6}));
        try (DecodeSession session = model.openSession()) {
            float[][] logits = session.prefill(rows.toArray(new int[0][]));
            compareLogits(name + ", prefill", model, rows, new int[] {0, 1, 2}, logits, tolerance);
            logits = session.step(new int[] {0, 1, 2}, new int[] {5, 6, 4});
            append(rows, new int[] {0, 1, 2}, new int[] {5, 6, 4});
            compareLogits(name + ", step of every row", model, rows, new int[] {0, 1, 2}, logits, tolerance);
            logits = session.step(new int[] {2, 0}, new int[] {3, 1});
            append(rows, new int[] {2, 0}, new int[] {3, 1});
            compareLogits(name + ", step of rows 2 and 0", model, rows, new int[] {2, 0}, logits, tolerance);
            session.select(new int[] {2, 2, 1});
            rows = new ArrayList<>(List.of(rows.get(2), rows.get(2).clone(), rows.get(1)));
            logits = session.step(new int[] {0, 1, 2}, new int[] {4, 5, 3});
            append(rows, new int[] {0, 1, 2}, new int[] {4, 5, 3});
            compareLogits(name + ", step after select", model, rows, new int[] {0, 1, 2}, logits, tolerance);
            if (session instanceof RecurrentSession recurrent) {
                steppedAsAWhole(name, model, recurrent, rows, tolerance);
            }
            for (int row = 0; row < rows.size(); row++) {
                if (session.length(row) != rows.get(row).length) {
                    throw new AssertionError(name + ": the session says row " + row + " holds " + session.length(row)
                            + " tokens, not " + rows.get(row).length);
                }
            }
        }
    }

    /**
     * One recursion at a time, every position to the default depth, gives what a whole step gives: positions of two
     * rows at different depths in one batched call (row 1 opened a recursion later), and two open positions of one
     * row (row 0) attending to each other.
     */
    private static void steppedAsAWhole(String name, Model model, RecurrentSession session, List<int[]> rows,
                                        double tolerance) {
        int depth = session.defaultDepth();
        session.open(new int[] {0}, new int[][] {{6, 3}});
        session.advance(new int[] {0});
        session.open(new int[] {1}, new int[][] {{2}});
        for (int d = 1; d < depth; d++) {
            RecurrentSession.Probe probe = session.advance(new int[] {0, 1});
            if (probe.rows().length != 3 || probe.latents().length != 3 || probe.latentChange().length != 3) {
                throw new AssertionError(name + ": an advance over rows 0 and 1 moved " + probe.rows().length
                        + " positions, not 3");
            }
        }
        session.advance(new int[] {1});
        if (!Arrays.equals(session.depths(0), new int[] {depth, depth}) || session.depths(1)[0] != depth) {
            throw new AssertionError(name + ": open positions at depths " + Arrays.toString(session.depths(0)) + " and "
                    + Arrays.toString(session.depths(1)) + ", expected " + depth);
        }
        float[][] logits = session.commit(new int[] {0, 1}, new int[] {2, 1});
        List<int[]> expected = new ArrayList<>();
        int[] first = Arrays.copyOf(rows.get(0), rows.get(0).length + 1);
        first[first.length - 1] = 6;
        int[] second = Arrays.copyOf(first, first.length + 1);
        second[second.length - 1] = 3;
        int[] third = Arrays.copyOf(rows.get(1), rows.get(1).length + 1);
        third[third.length - 1] = 2;
        expected.add(first);
        expected.add(second);
        expected.add(third);
        compareLogits(name + ", one recursion at a time", model, expected, new int[] {0, 1, 2}, logits, tolerance);
        rows.set(0, second);
        rows.set(1, third);
    }

    private static void append(List<int[]> rows, int[] which, int[] tokens) {
        for (int i = 0; i < which.length; i++) {
            int[] row = Arrays.copyOf(rows.get(which[i]), rows.get(which[i]).length + 1);
            row[row.length - 1] = tokens[i];
            rows.set(which[i], row);
        }
    }

    private static void compareLogits(String message, Model model, List<int[]> rows, int[] which, float[][] cached,
                                      double tolerance) {
        int[][] sequences = new int[which.length][];
        for (int i = 0; i < which.length; i++) {
            sequences[i] = rows.get(which[i]);
        }
        float[][] recomputed = model.nextTokenLogits(sequences);
        for (int i = 0; i < which.length; i++) {
            for (int v = 0; v < recomputed[i].length; v++) {
                double gap = Math.abs(recomputed[i][v] - cached[i][v]);
                if (!(gap <= tolerance * Math.max(1, Math.abs(recomputed[i][v])))) {
                    throw new AssertionError(message + ": cached logits of " + Arrays.toString(sequences[i])
                            + " differ from recomputed ones by " + gap + ": " + Arrays.toString(cached[i]) + " vs "
                            + Arrays.toString(recomputed[i]));
                }
            }
        }
    }

    /**
     * The cheap check {@code recursa plugin install} runs: the architecture builds a model with its default settings
     * for the tiny problem, and one forward pass over a padded batch gives finite logits of shape
     * (batch x length, vocabulary).
     */
    public static void buildsAndRunsWithDefaults(TrainableArchitecture architecture) {
        TrainableModel model = build(architecture, architecture.schema().defaults(), 1);
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 1, 2}, {5, 3, 1}}, 0);
        INDArray logits = model.forward(Tape.inference(), batch).logits().value();
        long[] expected = {(long) batch.batch() * batch.length(), VOCABULARY};
        if (!Arrays.equals(logits.shape(), expected)) {
            throw new AssertionError(architecture.id() + " with default settings: a forward pass over 2 rows of "
                    + batch.length() + " tokens gives logits of shape " + Arrays.toString(logits.shape())
                    + ", expected " + Arrays.toString(expected) + " (rows x length, vocabulary)");
        }
        requireFinite(architecture.id() + " with default settings: the logits of a forward pass", logits);
    }

    /**
     * A sequence of exactly {@link #MAX_LENGTH} tokens works in every entry point (a forward pass, {@code
     * nextTokenLogits}, and a decode session stepped up to it, which agrees with the recomputed logits), and one
     * token more is refused with an {@link IllegalArgumentException} whose message names the maximum length.
     */
    public static void handlesTheFullMaximumLength(TrainableArchitecture architecture, Config config) {
        TrainableModel model = build(architecture, config, 16);
        TorchReference.randomizeWeights(model, 17, 0.3);
        int[] full = {3, 4, 5, 6, 1, 2};
        int[] over = {3, 4, 5, 6, 1, 2, 3};
        String name = architecture.id() + " at the maximum length " + MAX_LENGTH;
        INDArray logits = model.forward(Tape.inference(), TokenBatch.of(new int[][] {full, {3, 4}}, 0)).logits()
                .value();
        requireFinite(name + ": the logits of a forward pass", logits);
        if (logits.size(0) != 2L * MAX_LENGTH) {
            throw new AssertionError(name + ": a forward pass gives " + logits.size(0) + " rows of logits, expected "
                    + 2 * MAX_LENGTH);
        }
        float[] recomputed = model.nextTokenLogits(new int[][] {full})[0];
        if (recomputed.length != VOCABULARY) {
            throw new AssertionError(name + ": nextTokenLogits gives " + recomputed.length + " logits, expected "
                    + VOCABULARY);
        }
        float[] stepped;
        try (DecodeSession session = model.openSession()) {
            session.prefill(new int[][] {Arrays.copyOf(full, MAX_LENGTH - 1)});
            stepped = session.step(new int[] {0}, new int[] {full[MAX_LENGTH - 1]})[0];
        }
        assertClose(name + ": a decode session stepped to the maximum length differs from nextTokenLogits",
                recomputed, stepped);
        refusesTooLong(name + ": forward", () -> model.forward(Tape.inference(), TokenBatch.of(new int[][] {over}, 0)));
        refusesTooLong(name + ": nextTokenLogits", () -> model.nextTokenLogits(new int[][] {over}));
    }

    private static void refusesTooLong(String name, Runnable call) {
        String length = Integer.toString(MAX_LENGTH + 1);
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (!message.contains(Integer.toString(MAX_LENGTH)) || message.contains("\n")) {
                throw new AssertionError(name + " refuses " + length + " tokens with '" + message + "'; the refusal "
                        + "must be one line naming the maximum length " + MAX_LENGTH, e);
            }
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(name + " fails on " + length + " tokens with " + e + "; refuse a sequence "
                    + "longer than the maximum length with an IllegalArgumentException naming it", e);
        }
        throw new AssertionError(name + " accepts " + length + " tokens, one more than the maximum length");
    }

    /**
     * The float32 kernel path (what training and decoding run: the engine picks its kernels for float arrays) agrees
     * with the reference path (the ND4J ops, in double): the same weights give the same logits to {@value
     * #FLOAT_AGREEMENT} of the largest logit, and the same training-loss gradient for every parameter to {@value
     * #FLOAT_GRADIENT_AGREEMENT} of that parameter's largest gradient. A kernel the architecture reaches wrongly (a
     * layout, a stride, a missing bias) shows here, not in the double-precision gradient checks.
     */
    public static void float32KernelsAgreeWithTheReference(TrainableArchitecture architecture, Config config) {
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 1, 2}, {5, 3, 1, 4}}, 0);
        int[] targets = shiftedTargets(batch);
        // Each model is built and run in its own precision: arrays a pass creates (position tables, masks) follow
        // the precision in force, as they do in the host, which sets it once per run.
        TrainableModel fast = inPrecision(DataType.FLOAT, () -> build(architecture, config, 14));
        TrainableModel reference = inPrecision(DataType.DOUBLE, () -> build(architecture, config, 14));
        TorchReference.randomizeWeights(fast, 15, 0.3);
        TorchReference.randomizeWeights(reference, 15, 0.3);
        String name = architecture.id() + ": the float32 kernel path";
        INDArray referenceLogits = inPrecision(DataType.DOUBLE,
                () -> reference.forward(Tape.inference(), batch).logits().value());
        INDArray fastLogits = inPrecision(DataType.FLOAT, () -> fast.forward(Tape.inference(), batch).logits().value());
        compareArrays(name + " gives other logits than the reference path", referenceLogits, fastLogits,
                FLOAT_AGREEMENT);
        inPrecision(DataType.FLOAT, () -> backward(fast, batch, targets));
        inPrecision(DataType.DOUBLE, () -> backward(reference, batch, targets));
        List<Parameter> fastParameters = new ArrayList<>(fast.parameters().all());
        List<Parameter> referenceParameters = new ArrayList<>(reference.parameters().all());
        for (int i = 0; i < fastParameters.size(); i++) {
            Parameter parameter = referenceParameters.get(i);
            if (!parameter.hasGrad() && !fastParameters.get(i).hasGrad()) {
                continue;
            }
            compareArrays(name + " gives another gradient of " + parameter.name() + " than the reference path",
                    gradient(parameter), gradient(fastParameters.get(i)), FLOAT_GRADIENT_AGREEMENT);
        }
    }

    private static Void backward(TrainableModel model, TokenBatch batch, int[] targets) {
        Tape tape = Tape.training();
        tape.backward(trainingLoss(tape, model.forward(tape, batch), targets));
        return null;
    }

    /** {@code work} with {@code type} as the engine's precision, restoring the previous one after. */
    private static <T> T inPrecision(DataType type, Supplier<T> work) {
        DataType previous = Precision.dataType();
        Precision.use(type);
        try {
            return work.get();
        } finally {
            Precision.use(previous);
        }
    }

    private static INDArray gradient(Parameter parameter) {
        return parameter.hasGrad() ? parameter.grad() : parameter.value().like();
    }

    /** Element-wise agreement relative to the largest magnitude of the reference array. */
    private static void compareArrays(String message, INDArray reference, INDArray actual, double tolerance) {
        if (!Arrays.equals(reference.shape(), actual.shape())) {
            throw new AssertionError(message + ": shapes " + Arrays.toString(reference.shape()) + " and "
                    + Arrays.toString(actual.shape()));
        }
        double[] expected = reference.dup().data().asDouble();
        double[] got = actual.dup().data().asDouble();
        double largest = 0;
        for (double value : expected) {
            largest = Math.max(largest, Math.abs(value));
        }
        double allowed = tolerance * Math.max(largest, 1e-6);
        for (int i = 0; i < expected.length; i++) {
            double gap = Math.abs(expected[i] - got[i]);
            if (!(gap <= allowed)) {
                throw new AssertionError(message + ": element " + i + " is " + got[i] + ", the reference "
                        + expected[i] + " (gap " + gap + ", allowed " + allowed + ")");
            }
        }
    }

    private static void requireFinite(String what, INDArray values) {
        double[] data = values.dup().data().asDouble();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new AssertionError(what + " hold " + data[i] + " at element " + i + "; every logit must be "
                        + "finite");
            }
        }
    }

    static void rejectsUnknownSettings(TrainableArchitecture architecture) {
        try {
            architecture.schema().resolve(Map.of("no_such_setting", "1"));
        } catch (ConfigException e) {
            return;
        }
        throw new AssertionError(architecture.id() + ": an unknown setting was accepted");
    }

    static void buildsDeterministically(TrainableArchitecture architecture, Config config) {
        TrainableModel a = build(architecture, config, 1);
        TrainableModel b = build(architecture, config, 1);
        TrainableModel c = build(architecture, config, 2);
        if (!a.weights().equals(b.weights())) {
            throw new AssertionError(architecture.id() + ": two builds with the same seed have different weights");
        }
        if (a.weights().equals(c.weights())) {
            throw new AssertionError(architecture.id() + ": builds with different seeds have equal weights");
        }
    }

    static void reportsItsSize(TrainableArchitecture architecture, Config config) {
        TrainableModel model = build(architecture, config, 1);
        ModelInfo info = model.info();
        if (!info.architecture().equals(architecture.id())) {
            throw new AssertionError(architecture.id() + ": info() names architecture " + info.architecture());
        }
        if (info.parameters() != model.parameters().count() || info.parameters() != model.weights().parameters()) {
            throw new AssertionError(architecture.id() + ": info() reports " + info.parameters()
                    + " parameters, the model has " + model.parameters().count());
        }
        if (info.vocabularySize() != VOCABULARY || info.maxLength() != MAX_LENGTH || info.flopsPerToken() <= 0
                || info.uniqueLayers() < 1) {
            throw new AssertionError(architecture.id() + ": implausible info() " + info);
        }
    }

    static void isCausalAndPaddingInvariant(TrainableArchitecture architecture, Config config) {
        TrainableModel model = build(architecture, config, 3);
        int[] prefix = {3, 4, 5};
        float[] alone = model.nextTokenLogits(new int[][] {prefix})[0];
        float[][] batched = model.nextTokenLogits(new int[][] {{3, 4, 5, 6, 3, 4}, prefix, {6}});
        assertClose(architecture.id() + ": logits of a row change when longer rows share its batch", alone, batched[1]);
        Forward full = model.forward(Tape.inference(), TokenBatch.of(new int[][] {{3, 4, 5, 6, 3, 4}}, 0));
        float[] fromFull = full.logits().value().getRow(2).toFloatVector();
        assertClose(architecture.id() + ": logits at position 2 depend on later tokens", alone, fromFull);
    }

    static void gradientsMatchFiniteDifferences(TrainableArchitecture architecture, Config config) {
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            TrainableModel model = build(architecture, config, 4);
            TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 1, 2}, {5, 3, 1, 4}}, 0);
            int[] targets = shiftedTargets(batch);
            Function<Tape, Var> loss = tape -> trainingLoss(tape, model.forward(tape, batch), targets);
            GradientCheck.check(architecture.id(), loss, new ArrayList<>(model.parameters().all()), 12, 7);
        } finally {
            Precision.use(previous);
        }
    }

    static void checkpointsRoundTrip(TrainableArchitecture architecture, Config config, Path scratch) throws IOException {
        TrainableModel trained = build(architecture, config, 5);
        Path file = scratch.resolve(architecture.id() + ".rckpt");
        Checkpoint.save(file, architecture.id(), config.asMap(), VOCABULARY, MAX_LENGTH, trained.parameters(), Map.of());
        TrainableModel fresh = build(architecture, config, 6);
        Checkpoint.load(file, architecture.id(), fresh.parameters());
        int[][] probe = {{3, 4, 5}};
        assertClose(architecture.id() + ": a loaded checkpoint gives other logits", trained.nextTokenLogits(probe)[0],
                fresh.nextTokenLogits(probe)[0]);
        try {
            Checkpoint.load(file, "not-" + architecture.id(), fresh.parameters());
            throw new AssertionError(architecture.id() + ": a checkpoint loaded into another architecture id");
        } catch (IOException expected) {
            // the message names both architectures; the engine's own tests check its wording
        }
        Files.deleteIfExists(file);
    }

    /**
     * The trainer's task loss: the cross-entropy of the logits, or, when the pass supervises more than them
     * ({@link Forward#supervised()}: every recursion step, a shorter trajectory), the sum of each supervised
     * output's cross-entropy times its weight.
     */
    static Var taskLoss(Tape tape, Forward forward, int[] targets) {
        if (forward.supervised().isEmpty()) {
            return CrossEntropy.apply(tape, forward.logits(), targets);
        }
        Var sum = null;
        for (Forward.Supervised supervised : forward.supervised()) {
            Var term = Elementwise.scale(tape, CrossEntropy.apply(tape, supervised.logits(), targets),
                    supervised.weight());
            sum = sum == null ? term : Elementwise.add(tape, sum, term);
        }
        return sum;
    }

    /** What the trainer back-propagates: the task loss plus the pass's auxiliary losses. */
    private static Var trainingLoss(Tape tape, Forward forward, int[] targets) {
        Var total = taskLoss(tape, forward, targets);
        for (Forward.NamedLoss aux : forward.auxLosses()) {
            total = Elementwise.add(tape, total, aux.value());
        }
        return total;
    }

    /** Builds a trainable model for the tiny problem. */
    public static TrainableModel build(TrainableArchitecture architecture, Config config, long seed) {
        TrainableModel model = architecture.build(new ModelSpec(VOCABULARY, MAX_LENGTH, seed), config);
        if (model == null) {
            throw new AssertionError(architecture.id() + ".build returned null");
        }
        return model;
    }

    private static int[] shiftedTargets(TokenBatch batch) {
        int[] targets = new int[batch.ids().length];
        for (int b = 0; b < batch.batch(); b++) {
            for (int t = 0; t < batch.length(); t++) {
                int i = b * batch.length() + t;
                targets[i] = t + 1 < batch.lengths()[b] ? batch.ids()[i + 1] : CrossEntropy.IGNORE;
            }
        }
        return targets;
    }

    private static void assertClose(String message, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError(message + ": lengths " + expected.length + " and " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > SAME * Math.max(1, Math.abs(expected[i]))) {
                throw new AssertionError(message + ": " + Arrays.toString(expected) + " vs " + Arrays.toString(actual));
            }
        }
    }
}
