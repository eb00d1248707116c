package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.ExtensionKind;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.Split;
import org.recursa.runstore.RunStore;
import org.recursa.runtime.run.Experiment;
import org.recursa.runtime.run.RunRequest;
import org.recursa.runtime.train.TrainSettings;
import org.recursa.runtime.train.Trainer;
import org.recursa.runtime.train.TrainingSet;

/**
 * The held-out guarantee through the real host and the real code path of {@code recursa run}: for every installed
 * first-party task, at its defaults and at other settings, no input of any evaluation split (nor of the held-out
 * samples early stopping evaluates) is in the training set the run draws.
 */
class HeldOutTest {

    /** A small model: the guarantee is about data, and prepare builds one. */
    private static final Map<String, String> TINY = Map.of("arch.d_model", "16", "arch.heads", "2", "arch.ffn", "32",
            "arch.layers", "1");

    /**
     * Settings other than the defaults for every first-party task: smaller or shifted spaces, other training-set
     * sizes, edge-case oversampling. A task without an entry fails the test, so a new task is not skipped silently.
     */
    private static final Map<String, Map<String, String>> OTHER_SETTINGS = Map.of(
            "binary-successor", Map.of("task.min_bits", "2", "task.max_bits", "9", "task.ood_bits", "11",
                    "task.max_train_carry", "3", "task.edge_fraction", "0.3", "train.examples", "300"),
            "preorder", Map.of("task.max_depth", "3", "task.max_size", "5", "task.ood_depth", "5",
                    "task.edge_fraction", "0.5", "train.examples", "3000"),
            "inorder", Map.of("task.max_depth", "5", "task.max_size", "9", "task.ood_depth", "6",
                    "train.examples", "20000"),
            "postorder", Map.of("task.max_depth", "2", "task.max_size", "3", "task.ood_depth", "3",
                    "task.edge_fraction", "1.0", "train.examples", "200"),
            "peano-add", Map.of("task.max_value", "6", "task.ood_value", "8", "task.held_out", "0.4",
                    "train.examples", "5000"),
            "list-reverse", Map.of("task.min_length", "1", "task.max_length", "4", "task.ood_length", "6",
                    "train.examples", "3000"),
            "bool-eval", Map.of("task.max_depth", "4", "task.ood_depth", "5", "train.examples", "500"),
            "copy", Map.of("task.symbols", "3", "task.min_length", "2", "task.max_length", "6", "task.ood_length", "9",
                    "train.examples", "1000"),
            "reverse", Map.of("task.min_length", "3", "task.max_length", "5", "task.ood_length", "7",
                    "train.examples", "20000"),
            "addition", Map.of("task.min_length", "1", "task.max_length", "3", "task.ood_length", "5",
                    "train.examples", "2000"));

    /** The tasks that can write their traces as δ, β and ι steps; checked once more with that setting. */
    private static final Set<String> SPLIT_STEPS = Set.of("binary-successor", "peano-add", "bool-eval");

    @TempDir
    static Path home;

    private static RecursaHost host;

    @BeforeAll
    static void start() {
        host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void noEvaluationInputOfAnyFirstPartyTaskIsATrainingInput() {
        List<String> tasks = host.registry().list(ExtensionKind.TASK).stream().map(ExtensionEntry::id).toList();
        assertThat(tasks).as("the first-party tasks").containsExactlyInAnyOrder("addition", "binary-successor",
                "bool-eval", "copy", "inorder", "list-reverse", "peano-add", "postorder", "preorder", "reverse");
        long seed = new Random().nextLong();
        for (String task : tasks) {
            assertThat(OTHER_SETTINGS).as("non-default settings for task %s", task).containsKey(task);
            for (Map<String, String> settings : List.of(Map.<String, String>of(), OTHER_SETTINGS.get(task))) {
                for (long runSeed : new long[] {1, seed}) {
                    checkHeldOut(task, settings, runSeed, Mode.IO);
                }
            }
            if (SPLIT_STEPS.contains(task)) {
                Map<String, String> split = new HashMap<>(OTHER_SETTINGS.get(task));
                split.put("task.trace_steps", "split");
                // Split traces are several times longer: a smaller batch keeps the model within the memory budget.
                split.put("train.batch_size", "8");
                checkHeldOut(task, split, seed, Mode.TRACE);
            }
        }
    }

    private static void checkHeldOut(String task, Map<String, String> settings, long seed, Mode mode) {
        Map<String, String> all = new HashMap<>(TINY);
        all.putAll(settings);
        String label = task + " " + settings + " " + mode.id() + " seed " + seed;
        Experiment.Prepared run = Experiment.prepare(host, new RunRequest(task, "vanilla", "greedy", all, seed,
                mode));
        TrainingSet training = run.training();
        int expectedSize = settings.containsKey("train.examples") ? Integer.parseInt(settings.get("train.examples"))
                : run.task().extension().trainingExamples(run.task().settings());
        assertThat(training.size()).as(label).isEqualTo(expectedSize);
        assertThat(run.train().getInt("examples")).as("the run records the size it drew, " + label)
                .isEqualTo(expectedSize);
        Set<List<String>> trainingInputs = new HashSet<>();
        training.examples().forEach(e -> trainingInputs.add(e.input()));
        assertThat(training.examples()).as("the training set is the task's train split, " + label)
                .allSatisfy(e -> assertThat(e.split()).isEqualTo(Split.TRAIN));

        List<String> evaluated = run.task().extension().splits(run.task().settings()).stream().map(Split::name)
                .filter(name -> !name.equals(Split.TRAIN)).toList();
        assertThat(run.evaluation().keySet()).as(label).containsExactlyElementsOf(evaluated);
        int evalExamples = run.train().getInt("eval_examples");
        run.evaluation().forEach((split, examples) -> {
            assertThat(examples).as("%s: %s", label, split).hasSize(evalExamples);
            assertThat(inTraining(examples, trainingInputs)).as("%s: %s holds no training input", label, split)
                    .isEmpty();
        });
        Trainer trainer = new Trainer(run.model(), run.bound(), training, run.sampler().extension(),
                run.sampler().settings(), TrainSettings.of(run.train()), seed);
        for (int step : new int[] {100, 200}) {
            List<Example> sample = trainer.validationSample(step);
            assertThat(sample).as("%s: held-out sample after step %d", label, step).hasSize(evalExamples);
            assertThat(inTraining(sample, trainingInputs)).as("%s: held-out sample after step %d", label, step)
                    .isEmpty();
        }
        List<Example> batches = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            batches.addAll(training.batch(step, 64));
        }
        assertThat(inTraining(batches, trainingInputs)).as("batches come from the training set, " + label)
                .hasSameSizeAs(batches);
    }

    /** The examples whose input is a training input. */
    private static List<Example> inTraining(List<Example> examples, Set<List<String>> trainingInputs) {
        return examples.stream().filter(e -> trainingInputs.contains(e.input())).toList();
    }

    @Test
    void aSplitWhoseWholeSpaceIsInTheTrainingSetIsOneLineNamingItAndTheSizeOfItsSpace() throws IOException {
        List<String> before = TestBundles.snapshot(home.resolve("runs"));
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(Map.of("task.min_length", "0", "task.max_length", "1", "task.ood_length", "3"));
        // rev N and rev C d N for ten digits d: eleven inputs, every one of them among 10,000 training draws.
        assertThatThrownBy(() -> Experiment.prepare(host, new RunRequest("list-reverse", "vanilla", "greedy",
                settings, 1)))
                .isInstanceOf(UsageException.class)
                .hasMessage("split 'test-id' cannot be drawn outside the training set: all 11 inputs of its space are "
                        + "training inputs (train.examples=10000); widen the task's settings or lower train.examples");
        settings.putAll(Map.of("task.symbols", "2", "task.min_length", "1", "task.max_length", "2",
                "task.ood_length", "4", "train.examples", "500"));
        // a, b, aa, ab, ba, bb: six inputs.
        assertThatThrownBy(() -> Experiment.prepare(host, new RunRequest("copy", "vanilla", "greedy", settings, 7)))
                .isInstanceOf(UsageException.class)
                .hasMessage("split 'test-id' cannot be drawn outside the training set: all 6 inputs of its space are "
                        + "training inputs (train.examples=500); widen the task's settings or lower train.examples");
        assertThat(TestBundles.snapshot(home.resolve("runs"))).as("nothing written").isEqualTo(before);
    }

    @Test
    void aSplitThatRepeatsInputsRecordsItsDistinctInputsAndAccuracyPerInput() throws IOException {
        // peano-add's test-id draws 32 examples from its 42 held-out pairs: some pairs repeat.
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(Map.of("train.steps", "3", "train.eval_examples", "32", "train.eval_every", "100",
                "train.batch_size", "8"));
        Experiment.Prepared prepared = Experiment.prepare(host, new RunRequest("peano-add", "vanilla", "greedy",
                settings, 1));
        Experiment.Result result = Experiment.execute(prepared, RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);
        ObjectMapper json = new ObjectMapper();
        JsonNode end = json.readTree(result.dir().resolve("final.json").toFile());
        for (String split : List.of("test-id", "test-ood-size")) {
            Map<String, int[]> byInput = new HashMap<>();   // input -> {examples, correct}
            for (String line : Files.readAllLines(result.dir().resolve("artifacts/" + split + ".jsonl"))) {
                JsonNode record = json.readTree(line);
                int[] counts = byInput.computeIfAbsent(record.get("input").toString(), k -> new int[2]);
                counts[0]++;
                counts[1] += record.get("verdict").asText().equals("correct") ? 1 : 0;
            }
            double perInput = byInput.values().stream().mapToDouble(c -> c[1] / (double) c[0]).average().orElseThrow();
            JsonNode recorded = end.at("/splits/" + split);
            assertThat(recorded.get("examples").asInt()).isEqualTo(32);
            assertThat(recorded.get("distinct_inputs").asInt()).as(split).isEqualTo(byInput.size());
            assertThat(recorded.get("seq_acc_distinct").asDouble()).as(split).isEqualTo(perInput, within(1e-12));
            assertThat(recorded.at("/seq_acc_interval/low").asDouble())
                    .isLessThanOrEqualTo(recorded.get("seq_acc").asDouble());
            assertThat(recorded.at("/seq_acc_interval/high").asDouble())
                    .isGreaterThanOrEqualTo(recorded.get("seq_acc").asDouble());
            assertThat(recorded.at("/seq_acc_distinct_interval/low").asDouble()).isLessThanOrEqualTo(perInput);
            assertThat(recorded.at("/seq_acc_distinct_interval/high").asDouble()).isGreaterThanOrEqualTo(perInput);
        }
        assertThat(end.at("/splits/test-id/distinct_inputs").asInt()).as("32 draws of 42 pairs repeat some")
                .isLessThan(32);
    }

    private static org.assertj.core.data.Offset<Double> within(double tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }
}
