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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.decode.Sampler;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.Vocabulary;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.run.Experiment;
import org.recursa.runtime.run.RunRequest;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Evaluation;
import org.recursa.runtime.train.TraceCheck;

/** {@code recursa run} through the real host: architectures, task and sampler are real bundles in Felix. */
class ExperimentTest {

    private static final Map<String, String> TINY = Map.of("arch.d_model", "16", "arch.heads", "2", "arch.ffn", "32",
            "train.batch_size", "16", "train.eval_examples", "32", "train.eval_every", "10", "train.warmup", "5");

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
    void unknownIdsListTheInstalledChoices() {
        assertThatThrownBy(() -> prepare("cpy", "vanilla", Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown task 'cpy'; installed tasks: addition, binary-successor, bool-eval, copy, inorder, "
                        + "list-reverse, peano-add, postorder, preorder, reverse");
        assertThatThrownBy(() -> prepare("copy", "lstm", Map.of()))
                .hasMessage("unknown architecture 'lstm'; installed architectures: loopformer, mor, recurrent-depth, "
                        + "relaxed, sliced, universal, vanilla");
    }

    @Test
    void badSettingsGetOneLineNamingTheComponent() throws IOException {
        List<String> before = TestBundles.snapshot(home.resolve("runs"));
        assertThatThrownBy(() -> prepare("copy", "vanilla", Map.of("arch.d_model", "wide")))
                .isInstanceOf(UsageException.class)
                .hasMessage("arch vanilla: setting 'd_model' must be an integer in [8, 4096], got 'wide'");
        assertThatThrownBy(() -> prepare("copy", "vanilla", Map.of("arch.depth", "3")))
                .hasMessageStartingWith("unknown setting 'arch.depth'; arch settings: d_model, dropout, ffn, heads, layers");
        assertThatThrownBy(() -> prepare("copy", "vanilla", Map.of("max_lenght", "3")))
                .hasMessageStartingWith("unknown setting 'max_lenght'; valid settings: arch.d_model,");
        assertThatThrownBy(() -> prepare("copy", "vanilla", Map.of("task.max_length", "20")))
                .hasMessage("task copy: setting 'max_length' (20) must be below 'ood_length' (16)");
        assertThatThrownBy(() -> prepare("copy", "vanilla", Map.of("heads", "3")))
                .isInstanceOf(UsageException.class)
                .hasMessage("arch vanilla: setting 'heads' (3) must divide 'd_model' (128)");
        assertThat(TestBundles.snapshot(home.resolve("runs"))).as("nothing written").isEqualTo(before);
    }

    @Test
    void aModelThatCannotFitIsRefusedBeforeItIsBuiltWithTheEstimate() throws IOException {
        List<String> before = TestBundles.snapshot(home.resolve("runs"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> prepare("copy", "vanilla", Map.of("d_model", "4096", "ffn", "16384", "layers", "64",
                "heads", "64")))
                .isExactlyInstanceOf(RecursaException.class)
                .hasMessageStartingWith("vanilla with these settings needs about ")
                .hasMessageContaining("(12,888,") // parameters: 64 blocks of 201,379,840 plus embeddings and head
                .hasMessageContaining("available (off-heap ");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds: refused before allocating").isLessThan(10);
        assertThat(TestBundles.snapshot(home.resolve("runs"))).as("nothing written").isEqualTo(before);
    }

    @Test
    void theDefaultRunFitsItsBudget() {
        Experiment.Prepared prepared = Experiment.prepare(host,
                new RunRequest("binary-successor", "universal", "greedy", Map.of(), 1));
        assertThat(prepared.model().info().parameters()).isPositive();
    }

    @Test
    void tagKeysAreNonEmptyLettersDigitsDotsDashesAndUnderscores() {
        assertThat(new RunRequest("copy", "vanilla", "greedy", Map.of(), 1, Mode.IO, Map.of("sweep.lr-1_a", "x"),
                null).tags()).containsKey("sweep.lr-1_a");
        for (String key : List.of("", "a b", "a/b", "é")) {
            assertThatThrownBy(() -> new RunRequest("copy", "vanilla", "greedy", Map.of(), 1, Mode.IO,
                    Map.of(key, "x"), null))
                    .isInstanceOf(UsageException.class)
                    .hasMessage("--tag: invalid key '" + key + "'; a tag key is one or more letters, digits, '_', '.' "
                            + "or '-' ([A-Za-z0-9_.-]+), as in --tag sweep=lr-1e-3");
        }
    }

    @Test
    void bareKeysGoToTheirOnlyOwner() {
        Experiment.Prepared prepared = prepare("copy", "vanilla", Map.of("layers", "2", "max_length", "5",
                "d_model", "16", "heads", "2", "steps", "7"));
        assertThat(prepared.architecture().settings().getInt("layers")).isEqualTo(2);
        assertThat(prepared.task().settings().getInt("max_length")).isEqualTo(5);
        assertThat(prepared.train().getInt("steps")).isEqualTo(7);
        assertThat(prepared.model().info().maxLength()).isEqualTo(2 * 16 + 2);
    }

    @Test
    void aRunTrainsEvaluatesEverySplitAndWritesItsDirectory() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "20");
        Experiment.Prepared prepared = prepare("copy", "universal", settings);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Experiment.Result result = Experiment.execute(prepared, RunStore.at(home.resolve("runs")),
                new PrintStream(progress, true, StandardCharsets.UTF_8), false, () -> false);

        assertThat(result.status()).isEqualTo("finished");
        assertThat(result.steps()).isEqualTo(20);
        assertThat(result.splits()).extracting(r -> r.split()).containsExactly("test-id", "test-ood-length");
        Path dir = result.dir();
        assertThat(Files.readString(dir.resolve("status")).trim()).isEqualTo("finished");
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(config.at("/architecture/bundle").asText()).isEqualTo("recursa-arch-universal");
        assertThat(config.at("/architecture/settings/d_model").asInt()).isEqualTo(16);
        assertThat(config.at("/task/settings/max_length").asInt()).isEqualTo(8);
        assertThat(config.at("/train/steps").asInt()).isEqualTo(20);
        for (String library : config.at("/platform/blas").asText().split(", ")) {
            assertThat(Path.of(library)).as("the OpenBLAS file that computed the run").isRegularFile()
                    .satisfies(file -> assertThat(file.getFileName().toString()).startsWith("libopenblas"));
        }
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(metrics).filteredOn(l -> l.contains("\"type\":\"step\"")).hasSize(20);
        assertThat(metrics).filteredOn(l -> l.contains("\"type\":\"eval\"")).hasSize(2);
        JsonNode end = new ObjectMapper().readTree(dir.resolve("final.json").toFile());
        assertThat(end.at("/splits/test-id/examples").asInt()).isEqualTo(32);
        assertThat(dir.resolve("checkpoint/model.rckpt")).isRegularFile();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("step 20/20 loss", "eval step 20: test-id");
    }

    @Test
    void earlyStoppingWaitsForTheTargetInAsManyEvaluationsInARowAsThePatience() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "50");
        settings.put("train.eval_every", "2");
        settings.put("train.stop_at", "0.0");                  // every evaluation reaches it
        for (int patience : new int[] {1, 3}) {
            settings.put("train.stop_patience", Integer.toString(patience));
            Experiment.Result result = Experiment.execute(prepare("copy", "vanilla", settings),
                    RunStore.at(home.resolve("runs")),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);
            assertThat(result.steps()).as("patience %d", patience).isEqualTo(2 * patience);
        }
    }

    @Test
    void aStoppedRunIsRecordedAsInterrupted() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "50");
        int[] polls = {0};
        Experiment.Result result = Experiment.execute(prepare("copy", "vanilla", settings),
                    RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> ++polls[0] > 3);
        assertThat(result.status()).isEqualTo("interrupted");
        assertThat(result.steps()).isEqualTo(3);
        assertThat(Files.readString(result.dir().resolve("status")).trim()).isEqualTo("interrupted");
        assertThat(Files.readAllLines(result.dir().resolve("metrics.jsonl"))).hasSize(3);
        assertThat(new ObjectMapper().readTree(result.dir().resolve("final.json").toFile()).at("/status").asText())
                .isEqualTo("interrupted");
    }

    @Test
    void theSameSeedGivesABitIdenticalLossCurve() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "8");
        settings.put("train.eval_every", "100");
        List<String> first = losses(settings);
        List<String> second = losses(settings);
        assertThat(first).hasSize(8).isEqualTo(second);
    }

    @Test
    void anUnknownPrecisionIsOneLineListingTheChoicesAndWritesNothing() throws IOException {
        List<String> before = TestBundles.snapshot(home.resolve("runs"));
        assertThatThrownBy(() -> prepare("copy", "vanilla", Map.of("train.precision", "fp16")))
                .isInstanceOf(UsageException.class)
                .hasMessage("train: setting 'precision' must be one of float32, bf16, got 'fp16'");
        assertThat(TestBundles.snapshot(home.resolve("runs"))).as("nothing written").isEqualTo(before);
    }

    @Test
    void aBf16RunRecordsItsPrecisionAndItsLossesFollowTheFloat32Run() throws IOException {
        org.assertj.core.api.Assumptions.assumeThat(org.recursa.engine.host.Bf16Support.missingHere())
                .as("this CPU has AVX512-BF16 or AMX").isEmpty();
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "8");
        settings.put("train.eval_every", "100");
        List<String> float32 = losses(settings);
        settings.put("train.precision", "bf16");
        Experiment.Result run = Experiment.execute(prepare("copy", "vanilla", settings),
                RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);
        List<String> bf16 = losses(run.dir());
        assertThat(bf16).hasSize(8).isNotEqualTo(float32);
        for (int step = 0; step < 8; step++) {
            assertThat(Double.parseDouble(bf16.get(step))).as("step %d: bf16 %s, float32 %s", step, bf16, float32)
                    .isCloseTo(Double.parseDouble(float32.get(step)), org.assertj.core.api.Assertions.within(0.05));
        }
        assertThat(Double.parseDouble(bf16.get(7))).as("falling").isLessThan(Double.parseDouble(bf16.get(0)));
        assertThat(new ObjectMapper().readTree(run.dir().resolve("config.json").toFile()).at("/train/precision")
                .asText()).isEqualTo("bf16");
    }

    private List<String> losses(Map<String, String> settings) throws IOException {
        Experiment.Result result = Experiment.execute(prepare("copy", "vanilla", settings),
                    RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);
        return losses(result.dir());
    }

    private static List<String> losses(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"step\""))
                .map(l -> {
                    try {
                        return json.readTree(l).get("loss").asText();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    @Test
    void aModeTheTaskLacksIsOneErrorListingItsModes() {
        assertThatThrownBy(() -> Experiment.prepare(host,
                new RunRequest("addition", "vanilla", "greedy", Map.of(), 1, Mode.TRACE)))
                .isInstanceOf(UsageException.class)
                .hasMessage("task 'addition' has no trace mode; its modes: io");
    }

    @Test
    void aRunWhoseEvaluationFailsEndsFailedWithTheReasonAndNeverStaysRunning() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "3");
        Experiment.Prepared prepared = prepare("copy", "vanilla", settings);
        Sampler greedy = prepared.sampler().extension();
        // Decodes the held-out test-id prompts used while training (copy: at most 8 tokens), and fails on the longer
        // prompts of test-ood-length, which only the final evaluation decodes.
        Sampler broken = new Sampler() {
            @Override
            public String id() {
                return "greedy";
            }

            @Override
            public String description() {
                return "fails on long prompts, like a sampler plugin with a bug";
            }

            @Override
            public org.recursa.api.decode.Decoded decode(org.recursa.api.model.Model model,
                                                         org.recursa.api.decode.DecodeRequest request,
                                                         org.recursa.api.Config config) {
                if (request.prompts().stream().anyMatch(p -> p.length > 10)) {
                    throw new IllegalStateException("sampler bug");
                }
                return greedy.decode(model, request, config);
            }
        };
        Experiment.Prepared failing = new Experiment.Prepared(prepared.request(), prepared.task(),
                prepared.architecture(), new Experiment.Component<>(prepared.sampler().entry(), broken,
                prepared.sampler().settings()), prepared.train(), prepared.model(), prepared.training(),
                prepared.evaluation(), prepared.bound(), prepared.bundles(), prepared.eval());
        RunStore store = RunStore.at(home.resolve("runs"));
        List<String> before = store.ids();

        assertThatThrownBy(() -> Experiment.execute(failing, store,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false))
                .hasMessage("sampler bug");

        List<String> created = new java.util.ArrayList<>(store.ids());
        created.removeAll(before);
        assertThat(created).hasSize(1);
        StoredRun run = store.open(created.get(0));
        assertThat(run.state().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state().reason()).contains("evaluation failed: IllegalStateException: sampler bug");
        assertThat(run.end().orElseThrow().steps()).isEqualTo(3);
        assertThat(run.summary().status()).isEqualTo("failed");
        assertThat(run.summary().artifacts()).as("partial artifacts are not offered to the index").isEmpty();
        assertThat(Files.readString(run.dir().resolve("status")).trim()).isEqualTo("failed");
    }

    @Test
    void aRunWhoseCheckpointCannotBeSavedEndsFailedWithTheReason() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "3");
        Experiment.Prepared prepared = prepare("copy", "vanilla", settings);
        RunStore store = RunStore.at(home.resolve("runs"));
        List<String> before = store.ids();
        // While the run trains, a regular file takes the place of its checkpoint directory: a real fault on disk.
        java.util.function.BooleanSupplier inTheWay = () -> {
            List<String> created = new java.util.ArrayList<>(store.ids());
            created.removeAll(before);
            Path blocker = store.open(created.get(0)).dir().resolve("checkpoint");
            try {
                if (!Files.exists(blocker)) {
                    Files.writeString(blocker, "not a directory");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return false;
        };

        assertThatThrownBy(() -> Experiment.execute(prepared, store,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, inTheWay))
                .hasMessageStartingWith("cannot save the checkpoint ");

        List<String> created = new java.util.ArrayList<>(store.ids());
        created.removeAll(before);
        StoredRun run = store.open(created.get(0));
        assertThat(run.state().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state().reason()).get().asString()
                .startsWith("saving the checkpoint failed: RunStoreException: cannot save the checkpoint");
        assertThat(run.artifacts()).as("evaluation had written every split").hasSize(2);
        assertThat(run.summary().artifacts()).as("but a failed run's artifacts are not offered to the index").isEmpty();
        assertThat(run.checkpoint()).isEmpty();
    }

    @Test
    void aTraceRunWritesProofArtifactsWithTheStepwiseCheckAndDepthTraces() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.put("train.steps", "3");
        settings.put("task.max_bits", "4");
        settings.put("task.ood_bits", "6");
        settings.put("task.max_train_carry", "2");
        // 14 numbers of up to 4 digits, 6 of them with carry chains 1-2: a training set of 4 leaves both held-out
        // splits inputs to draw (the default 10,000 would hold them all: HeldOutTest).
        settings.put("train.examples", "4");
        settings.put("arch.act", "true");
        Experiment.Prepared prepared = Experiment.prepare(host,
                new RunRequest("binary-successor", "universal", "greedy", settings, 1, Mode.TRACE));
        Example first = prepared.evaluation().get("test-id").get(0);
        assertThat(first.target()).as("trace targets").contains(Vocabulary.STEP);
        Experiment.Result result = Experiment.execute(prepared, RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);

        assertThat(result.splits()).extracting(Evaluation.Result::split)
                .containsExactly("test-id", "test-edge-carry", "test-ood-carry", "test-ood-length");
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(result.dir().resolve("artifacts/test-ood-carry.jsonl"));
        assertThat(lines).hasSize(32);
        JsonNode record = json.readTree(lines.get(0));
        assertThat(record.get("schema").asInt()).isEqualTo(1);
        assertThat(record.get("run").asText()).isEqualTo(result.id());
        assertThat(record.get("task").asText()).isEqualTo("binary-successor");
        assertThat(record.get("mode").asText()).isEqualTo("trace");
        assertThat(record.get("split").asText()).isEqualTo("test-ood-carry");
        assertThat(record.at("/features/carry_chain").asInt()).isBetween(3, 4);
        assertThat(record.at("/derivation/steps/0/rule").asText()).isEqualTo("iota:succ/B1");
        assertThat(record.at("/trace_check/explanation").asText()).isNotEmpty();
        assertThat(record.get("verdict").asText()).isIn("correct", "wrong");
        int promptAndOutput = record.get("input").size() + 1 + record.get("predicted").size();
        assertThat(record.at("/depth/per_token").size()).as("ACT depth per token")
                .isEqualTo(Math.min(promptAndOutput, prepared.model().info().maxLength()));
        JsonNode end = json.readTree(result.dir().resolve("final.json").toFile());
        assertThat(end.at("/splits/test-ood-carry/by_feature/carry_chain").size()).isBetween(1, 2);
        assertThat(end.at("/splits/test-ood-carry/trace_valid").isNumber()).isTrue();
        assertThat(json.readTree(result.dir().resolve("config.json").toFile()).get("mode").asText()).isEqualTo("trace");
    }

    @Test
    void theCheckerAcceptsEveryReferenceTraceAndRejectsACorruptedOneAtTheCorruptedStep() {
        BoundTask bound = Experiment.prepare(host, new RunRequest("preorder", "vanilla", "greedy",
                Map.of("arch.d_model", "16", "arch.heads", "2", "arch.ffn", "32"), 1, Mode.TRACE)).bound();
        long seed = new java.util.Random().nextLong();
        for (Example example : bound.generate("test-ood-depth", 50, seed)) {
            BoundTask.Judgement right = bound.judge(example, example.target());
            assertThat(right.verdict().correct()).as("seed %d", seed).isTrue();
            assertThat(right.trace().reachesAnswer()).isTrue();
            assertThat(right.trace().firstInvalidStep()).isEqualTo(-1);

            List<List<String>> terms = new java.util.ArrayList<>(TraceCheck.split(example.target()));
            int corrupt = new java.util.Random(seed).nextInt(terms.size());
            List<String> broken = new java.util.ArrayList<>(terms.get(corrupt));
            broken.add("7");
            terms.set(corrupt, broken);
            BoundTask.Judgement wrong = bound.judge(example, TraceCheck.join(terms));
            assertThat(wrong.verdict().correct()).isFalse();
            assertThat(wrong.trace().firstInvalidStep()).as("seed %d, %s", seed, example).isEqualTo(corrupt);
            assertThat(wrong.trace().expectedRule())
                    .isEqualTo(right.reference().steps().get(corrupt).rule());
            assertThat(wrong.trace().reachesAnswer()).isFalse();
        }
    }

    @Test
    void aTraceThatStopsEarlyNamesTheRuleThatShouldHaveFiredNext() {
        BoundTask bound = Experiment.prepare(host, new RunRequest("binary-successor", "vanilla", "greedy",
                Map.of("arch.d_model", "16", "arch.heads", "2", "arch.ffn", "32"), 1, Mode.TRACE)).bound();
        Example allOnes = new Example("x/0", "x", List.of("succ", "B1", "B1", "Z"), List.of(), Map.of());
        BoundTask.Judgement judgement = bound.judge(allOnes, List.of("B0", "succ", "B1", "Z"));
        assertThat(judgement.trace().validSteps()).isEqualTo(1);
        assertThat(judgement.trace().firstInvalidStep()).isEqualTo(1);
        assertThat(judgement.trace().expectedRule()).isEqualTo("iota:succ/B1");
        assertThat(judgement.trace().expectedPosition()).isEqualTo("1");
    }

    @Test
    void theCheckerAcceptsSplitReferenceTracesAndNamesTheKindOfStepASkippingTraceMissed() {
        BoundTask bound = Experiment.prepare(host, new RunRequest("binary-successor", "vanilla", "greedy",
                Map.of("arch.d_model", "16", "arch.heads", "2", "arch.ffn", "32", "task.trace_steps", "split",
                        "train.batch_size", "8"), 1, Mode.TRACE)).bound();
        long seed = new java.util.Random().nextLong();
        for (Example example : bound.generate("test-ood-carry", 20, seed)) {
            BoundTask.Judgement right = bound.judge(example, example.target());
            assertThat(right.trace().reachesAnswer()).as("seed %d, %s", seed, example).isTrue();
            assertThat(right.reference().steps().get(0).rule()).isEqualTo("delta:succ");
        }
        String unfolded = "@ lam match:succ #0 B1 Z lam B1 #0 lam B0 succ #0 B1 Z";
        Example one = new Example("x/0", "x", List.of("succ", "B1", "Z"), List.of(), Map.of());
        BoundTask.Judgement fused = bound.judge(one, tokens("B0 succ Z <step> B0 B1 Z"));
        assertThat(fused.trace().firstInvalidStep()).as("a fused step").isEqualTo(0);
        assertThat(fused.trace().expectedRule()).isEqualTo("delta:succ");
        BoundTask.Judgement skipsBeta = bound.judge(one, tokens(unfolded + " <step> B0 succ Z"));
        assertThat(skipsBeta.trace().validSteps()).as("the δ step").isEqualTo(1);
        assertThat(skipsBeta.trace().firstInvalidStep()).isEqualTo(1);
        assertThat(skipsBeta.trace().expectedRule()).isEqualTo("beta:succ");
        assertThat(skipsBeta.trace().expectedPosition()).isEqualTo("0");
        assertThat(skipsBeta.trace().explanation()).startsWith("step 1: not a single reduction of the previous term; "
                + "expected beta:succ at 0 giving match:succ B1 Z B1 Z lam B1 #0 lam B0 succ #0");
    }

    @Test
    void aTaskThatAppendsByJuxtapositionRefusesSplitStepsInOneLine() {
        assertThatThrownBy(() -> prepare("list-reverse", "vanilla", Map.of("task.trace_steps", "split")))
                .isInstanceOf(UsageException.class)
                .hasMessage("task list-reverse: setting 'trace_steps' (split) is not supported: the equations append "
                        + "by juxtaposition, which a match branch cannot hold; tasks that support it: "
                        + "binary-successor, peano-add, bool-eval");
    }

    @Test
    void aTraceRunWithSplitStepsTrainsAndRecordsTheKindOfEachFirstInvalidStep() throws IOException {
        Map<String, String> settings = new HashMap<>(TINY);
        // Split traces are three to four times as long as fused ones, and an untrained model decodes up to the
        // longest: operands of at most 2 keep them near 200 tokens.
        settings.putAll(Map.of("train.steps", "3", "task.max_value", "1", "task.ood_value", "2",
                "task.trace_steps", "split", "train.examples", "3", "train.eval_examples", "8"));
        Experiment.Prepared prepared = Experiment.prepare(host,
                new RunRequest("peano-add", "vanilla", "greedy", settings, 1, Mode.TRACE));
        assertThat(prepared.bound().vocabulary().tokens()).contains("@", "lam", "#0", "#1", "match:add");
        Experiment.Result result = Experiment.execute(prepared, RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);

        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(result.dir().resolve("artifacts/test-ood-size.jsonl"));
        assertThat(lines).hasSize(8);
        for (String line : lines) {
            JsonNode record = json.readTree(line);
            assertThat(record.at("/derivation/steps/0/rule").asText()).isEqualTo("delta:add");
            JsonNode expected = record.at("/trace_check/expected_rule");
            if (!expected.isNull()) {
                assertThat(expected.asText()).as(line).matches("(delta|beta|iota):add.*|normal-form");
            }
        }
        JsonNode config = json.readTree(result.dir().resolve("config.json").toFile());
        assertThat(config.toString()).contains("\"trace_steps\":\"split\"");
    }

    private static List<String> tokens(String text) {
        return List.of(text.split(" "));
    }

    private static Experiment.Prepared prepare(String task, String arch, Map<String, String> settings) {
        return Experiment.prepare(host, new RunRequest(task, arch, "greedy", settings, 1));
    }
}
