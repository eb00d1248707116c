package org.recursa.runtime.probe;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.TokenFeature;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runstore.ProbeRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.UsageException;
import org.recursa.runtime.run.TrainedRun;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Encoding;

/**
 * {@code recursa probe} (docs/probes.md): loads a finished run's checkpoint into the architecture its config names,
 * regenerates a split's examples as the run drew them, runs the model over them recording the hidden state of every
 * input token after every block application, and fits a {@link RidgeProbe linear probe} per recorded step and
 * per-token feature of the task, on the tokens of three quarters of the examples, scored on the tokens of the rest.
 */
public final class Probe {

    /** The method, as the probe record states it. */
    static final String METHOD = "ridge regression on the standardised hidden state (R² for numeric features); "
            + "binary and categorical features by a ridge classifier on ±1 codes, one versus the rest (accuracy); "
            + "penalty per training token from 1e-6..10 by " + RidgeProbe.FOLDS + "-fold cross-validation over "
            + "training examples; scored on held-out examples";

    /** Fewest examples: some to fit on, some held out. */
    public static final int MIN_EXAMPLES = 4;
    /** Share of the examples held out for scoring. */
    static final double HELD_OUT = 0.25;

    private static final int BATCH = 32;
    private static final long SPLIT_STREAM = 0x3C6EF372FE94F82BL;

    /**
     * A run ready to probe.
     *
     * @param run      the run
     * @param config   its config
     * @param split    the probed split
     * @param bound    the task, bound to the run's settings and mode
     * @param model    the model with the checkpoint's weights
     * @param examples the regenerated examples
     * @param features per example, its token features by name
     */
    public record Prepared(StoredRun run, RunConfig config, String split, BoundTask bound, TrainableModel model,
                           List<Example> examples, List<Map<String, TokenFeature>> features) {
    }

    /**
     * What a probe wrote.
     *
     * @param record the probe record
     * @param file   where the run store put it
     */
    public record Result(ProbeRecord record, Path file) {
    }

    private Probe() {
    }

    /**
     * Finds the run, checks it can be probed, rebuilds its model from its config and checkpoint with the extensions
     * installed in {@code host}, and regenerates the examples. Writes nothing.
     *
     * @param split    the split to probe
     * @param examples how many examples; null for as many as the run evaluated per split
     * @throws org.recursa.runstore.UnknownRunException for an unknown run
     * @throws UsageException   for a split the task does not have or too few examples
     * @throws RecursaException with one line when the run cannot be probed: not ended, no checkpoint, damaged, a
     *                          task that declares no token features
     */
    public static Prepared prepare(RecursaHost host, RunStore store, String runId, String split, Integer examples) {
        TrainedRun trained = TrainedRun.of(store.find(runId), "probe", "probed");
        RunConfig config = trained.config();
        BoundTask bound = trained.task(host.registry());
        Task task = bound.task();
        List<String> splits = task.splits(bound.config()).stream().map(Split::name).toList();
        if (!splits.contains(split)) {
            throw new UsageException("task '" + task.id() + "' has no split '" + split + "'; its splits: "
                    + String.join(", ", splits));
        }
        int count = examples != null ? examples : trained.evaluatedExamples();
        if (count < MIN_EXAMPLES) {
            throw new UsageException("--examples must be at least " + MIN_EXAMPLES + " (some to fit probes on, some "
                    + "held out), got " + count);
        }
        List<Example> drawn = trained.evaluationExamples(bound, split, count, trained.training(bound));
        List<Map<String, TokenFeature>> features = features(bound, drawn);
        TrainableModel model = trained.model(host.registry(), bound);
        StoredRun run = trained.run();
        return new Prepared(run, config, split, bound, model, drawn, features);
    }

    /**
     * Runs the model over the examples, fits and scores every probe, and records them in the run directory
     * through {@code store}.
     *
     * @throws RecursaException when the architecture reports no hidden states
     */
    public static Result execute(Prepared prepared, RunStore store) {
        ProbeRecord record = probe(prepared);
        return new Result(record, store.saveProbe(prepared.run().id(), record));
    }

    /** The probe record of a prepared run, without writing it. */
    static ProbeRecord probe(Prepared prepared) {
        List<Example> examples = prepared.examples();
        Vocabulary vocabulary = prepared.bound().vocabulary();
        int maxLength = prepared.model().info().maxLength();
        HiddenStates states = new HiddenStates(0);
        for (int from = 0; from < examples.size(); from += BATCH) {
            List<Example> chunk = examples.subList(from, Math.min(examples.size(), from + BATCH));
            int[][] rows = new int[chunk.size()][];
            int[] inputs = new int[chunk.size()];
            for (int i = 0; i < rows.length; i++) {
                int[] sequence = Encoding.sequence(vocabulary, chunk.get(i));
                rows[i] = Arrays.copyOf(sequence, Math.min(sequence.length, maxLength));
                inputs[i] = Math.min(chunk.get(i).input().size(), rows[i].length);
            }
            try (Scratch scratch = Scratch.open("probe")) {
                TokenBatch batch = TokenBatch.of(rows, Vocabulary.PAD_ID);
                states.batch(from, inputs, batch.lengths(), batch.length());
                prepared.model().forward(Tape.inference(), batch, states);
            }
            if (states.steps().isEmpty()) {
                throw new RecursaException("architecture '" + prepared.config().architecture().id() + "' reported no "
                        + "hidden states: its model does not record its block applications (models built on the "
                        + "engine's DecoderModel do; see docs/probes.md)");
            }
        }
        boolean[] heldOut = heldOut(examples.size(), prepared.config().seed());
        List<ProbeRecord.Target> targets = new ArrayList<>();
        for (Map.Entry<String, TokenFeature.Kind> feature : kinds(prepared.features()).entrySet()) {
            targets.add(target(feature.getKey(), feature.getValue(), prepared.features(), states, heldOut));
        }
        int test = 0;
        for (boolean held : heldOut) {
            test += held ? 1 : 0;
        }
        return new ProbeRecord(org.recursa.runstore.RunFormat.VERSION, Instant.now().toString(), prepared.split(),
                examples.size(), examples.size() - test, test, METHOD, states.steps(), targets,
                attention(examples.get(0), vocabulary, maxLength, states));
    }

    /** One feature's probes at every step. */
    private static ProbeRecord.Target target(String name, TokenFeature.Kind kind,
                                             List<Map<String, TokenFeature>> features, HiddenStates states,
                                             boolean[] heldOut) {
        boolean classify = kind != TokenFeature.Kind.NUMERIC;
        double[][] values = new double[features.size()][];
        for (int e = 0; e < values.length; e++) {
            values[e] = features.get(e).get(name).values();
        }
        Map<String, ProbeRecord.Score> scores = new LinkedHashMap<>();
        Double baseline = null;
        for (String step : states.steps()) {
            List<double[]> trainX = new ArrayList<>();
            List<double[]> testX = new ArrayList<>();
            List<Double> trainY = new ArrayList<>();
            List<Double> testY = new ArrayList<>();
            List<Integer> trainGroup = new ArrayList<>();
            for (HiddenStates.TokenState token : states.at(step)) {
                double value = values[token.example()][token.token()];
                if (Double.isNaN(value)) {
                    continue;
                }
                double[] state = new double[token.state().length];
                for (int j = 0; j < state.length; j++) {
                    state[j] = token.state()[j];
                }
                if (heldOut[token.example()]) {
                    testX.add(state);
                    testY.add(value);
                } else {
                    trainX.add(state);
                    trainY.add(value);
                    trainGroup.add(token.example());
                }
            }
            if (trainY.size() < 2 || testY.isEmpty()) {
                scores.put(step, new ProbeRecord.Score(null, trainY.size(), testY.size(), null));
                continue;
            }
            RidgeProbe.Result result = RidgeProbe.evaluate(rows(trainX, trainY, trainGroup),
                    rows(testX, testY, null), classify);
            scores.put(step, new ProbeRecord.Score(result.score(), trainY.size(), testY.size(), result.penalty()));
            if (baseline == null || step.equals(org.recursa.engine.train.Recorder.EMBED)) {
                baseline = result.baseline();
            }
        }
        return new ProbeRecord.Target(name, kind.name().toLowerCase(java.util.Locale.ROOT),
                classify ? "accuracy" : "r2", baseline, scores);
    }

    private static RidgeProbe.Rows rows(List<double[]> x, List<Double> y, List<Integer> group) {
        return new RidgeProbe.Rows(x.toArray(double[][]::new), y.stream().mapToDouble(Double::doubleValue).toArray(),
                group == null ? new int[y.size()] : group.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A quarter of the examples (at least one, at most all but one), chosen by the run's seed. */
    static boolean[] heldOut(int examples, long seed) {
        int test = Math.max(1, Math.min(examples - 1, (int) Math.round(examples * HELD_OUT)));
        Integer[] order = new Integer[examples];
        for (int i = 0; i < examples; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed ^ SPLIT_STREAM);
        for (int i = examples - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        boolean[] held = new boolean[examples];
        for (int i = 0; i < test; i++) {
            held[order[i]] = true;
        }
        return held;
    }

    private static ProbeRecord.Attention attention(Example example, Vocabulary vocabulary, int maxLength,
                                                   HiddenStates states) {
        Map<String, float[][][]> maps = new LinkedHashMap<>();
        states.attention().forEach((step, heads) -> {
            float[][][] rounded = new float[heads.length][][];
            for (int h = 0; h < heads.length; h++) {
                rounded[h] = new float[heads[h].length][];
                for (int i = 0; i < heads[h].length; i++) {
                    rounded[h][i] = new float[heads[h][i].length];
                    for (int j = 0; j < heads[h][i].length; j++) {
                        rounded[h][i][j] = Math.round(heads[h][i][j] * 1e4f) / 1e4f;
                    }
                }
            }
            maps.put(step, rounded);
        });
        if (maps.isEmpty()) {
            return null;
        }
        int[] sequence = Encoding.sequence(vocabulary, example);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < Math.min(sequence.length, maxLength); i++) {
            tokens.add(vocabulary.token(sequence[i]));
        }
        return new ProbeRecord.Attention(example.id(), tokens, maps);
    }

    /** The features of every example, checked: the same names and kinds everywhere, one value per input token. */
    private static List<Map<String, TokenFeature>> features(BoundTask bound, List<Example> examples) {
        Task task = bound.task();
        List<Map<String, TokenFeature>> all = new ArrayList<>();
        Map<String, TokenFeature.Kind> kinds = null;
        for (Example example : examples) {
            Map<String, TokenFeature> byName = new LinkedHashMap<>();
            for (TokenFeature feature : task.tokenFeatures(bound.config(), example)) {
                if (feature.values().length != example.input().size()) {
                    throw new RecursaException("task '" + task.id() + "': token feature '" + feature.name() + "' has "
                            + feature.values().length + " values for the " + example.input().size()
                            + " input tokens of " + example.id());
                }
                byName.put(feature.name(), feature);
            }
            Map<String, TokenFeature.Kind> these = new LinkedHashMap<>();
            byName.forEach((name, feature) -> these.put(name, feature.kind()));
            if (kinds != null && !kinds.equals(these)) {
                throw new RecursaException("task '" + task.id() + "' declares token features " + kinds + " for one "
                        + "example and " + these + " for " + example.id() + "; every example must have the same");
            }
            kinds = these;
            all.add(byName);
        }
        if (kinds == null || kinds.isEmpty()) {
            throw new RecursaException("task '" + task.id() + "' declares no per-token features (Task.tokenFeatures), "
                    + "so there is nothing to probe; see docs/probes.md");
        }
        return all;
    }

    private static Map<String, TokenFeature.Kind> kinds(List<Map<String, TokenFeature>> features) {
        Map<String, TokenFeature.Kind> kinds = new LinkedHashMap<>();
        features.get(0).forEach((name, feature) -> kinds.put(name, feature.kind()));
        return kinds;
    }
}
