package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.recursa.cli.CliFixtures.fabricate;
import static org.recursa.cli.CliFixtures.ids;
import static org.recursa.cli.CliFixtures.predictions;
import static org.recursa.cli.CliFixtures.snapshot;
import static org.recursa.cli.CliFixtures.sha256;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.cli.fixtures.SessionGreedyModule;
import org.recursa.cli.fixtures.SessionGreedySampler;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;
import org.recursa.runstore.SummaryRecord;

/**
 * {@code recursa eval} end to end, in process, with the real host and bundles: a tiny Universal Transformer and a
 * tiny vanilla transformer are trained on bool-eval, then evaluated again with the greedy sampler and with a
 * sampler fabricated as a bundle of its own ({@link SessionGreedySampler}: a ranged setting, seeded noise, FLOPs
 * and depths, and a model it refuses). Every evaluation is a new run derived from its parent; every mistake is one
 * line and writes nothing.
 */
class EvalCliTest {

    @TempDir
    static Path home;

    @TempDir
    static Path distribution;

    @TempDir
    static Path work;

    static String universal;
    static String vanilla;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDistribution.Result last;

    @BeforeAll
    static void trainTwoTinyRuns() throws IOException {
        TestDistribution.install(distribution);
        Path jar = fabricate(work.resolve("session-greedy.jar"), Map.of("Bundle-SymbolicName", "test.session-greedy",
                "Bundle-Version", "1.0.0", "Import-Package", "org.recursa.api;version=\"[1.0,2)\","
                        + "org.recursa.api.decode;version=\"[1.0,2)\",org.recursa.api.model;version=\"[1.0,2)\","
                        + "org.recursa.api.plugin;version=\"[1.0,2)\",com.google.inject",
                "Recursa-Module", SessionGreedyModule.class.getName()),
                SessionGreedyModule.class, SessionGreedySampler.class);
        EvalCliTest setup = new EvalCliTest();
        assertThat(setup.run("plugin", "install", jar.toString())).as(setup.last.err()).isZero();
        assertThat(setup.run("run", "--task", "bool-eval", "--arch", "universal", "--steps", "300",
                "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "train.eval_examples=16",
                "--set", "train.batch_size=16", "--set", "train.lr=0.003", "--set", "train.warmup=10",
                "--tag", "team=decoding", "--note", "tiny baseline"))
                .as(setup.last.err()).isZero();
        universal = store().ids().get(0);
        assertThat(setup.run("run", "--task", "bool-eval", "--arch", "vanilla", "--steps", "1",
                "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "arch.layers=1",
                "--set", "train.eval_examples=4", "--set", "train.batch_size=4")).as(setup.last.err()).isZero();
        vanilla = store().ids().stream().filter(id -> !id.equals(universal)).findFirst().orElseThrow();
    }

    @AfterAll
    static void clearDistribution() {
        TestDistribution.uninstall();
    }

    @Test
    void greedyReevaluationReproducesTheParentAsARunDerivedFromIt() throws IOException {
        String child = evaluate("eval", universal.substring(0, 24), "--sampler", "greedy");
        assertThat(last.out()).contains("evaluating run " + universal + " (universal on bool-eval) with sampler "
                + "greedy, seed 1", "evaluating test-ood-depth (16 examples)",
                "run " + child + " finished", "derived from run " + universal);
        assertThat(last.out().lines()).anySatisfy(line -> assertThat(line).matches(
                "SPLIT +RUN +EXAMPLES +TOKEN ACC +SEQ ACC +95% CI +TOKENS/S +DEPTH/TOKEN +MODEL CALLS +FLOPS"));
        StoredRun parent = store().open(universal);
        StoredRun derived = store().open(child);
        FinalRecord theirs = parent.end().orElseThrow();
        FinalRecord mine = derived.end().orElseThrow();
        assertThat(mine.runStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(mine.splits().keySet()).containsExactly("test-id", "test-ood-depth");
        assertThat(theirs.splits().get("test-id").seqAcc()).as("some right, some wrong: equality means something")
                .isStrictlyBetween(0.0, 1.0);
        assertThat(mine.splits().keySet()).containsExactlyElementsOf(theirs.splits().keySet());
        for (String split : theirs.splits().keySet()) {
            FinalRecord.SplitResult a = theirs.splits().get(split);
            FinalRecord.SplitResult b = mine.splits().get(split);
            assertThat(b.examples()).as(split).isEqualTo(a.examples()).isEqualTo(16);
            assertThat(b.seqAcc()).as(split).isEqualTo(a.seqAcc());
            assertThat(b.tokenAcc()).as(split).isEqualTo(a.tokenAcc());
            assertThat(b.distinctInputs()).as(split).isEqualTo(a.distinctInputs());
            assertThat(b.seqAccInterval()).as(split).isEqualTo(a.seqAccInterval());
            assertThat(b.decoding().modelCalls()).as(split).isEqualTo(a.decoding().modelCalls()).isPositive();
            assertThat(b.decoding().generatedTokens()).as(split).isEqualTo(a.decoding().generatedTokens());
            assertThat(b.decoding().tokensPerS()).as(split).isPositive();
            assertThat(predictions(derived, split)).as(split).isEqualTo(predictions(parent, split));
            assertThat(last.out().lines()).as(split).anySatisfy(line -> assertThat(line)
                    .startsWith(split + " ").matches(".* parent +16 +.*"));
        }

        RunConfig config = derived.config();
        assertThat(config.parent()).isEqualTo(universal);
        assertThat(derived.checkpoint()).as("the weights stay in the parent").isEmpty();
        assertThat(config.model().get("weights")).isEqualTo(Map.of("run", universal,
                "checkpoint", "checkpoint/model.rckpt", "sha256", sha256(parent.checkpoint().orElseThrow())));
        SummaryRecord summary = derived.summary();
        SummaryRecord parentSummary = parent.summary();
        assertThat(summary.parent()).isEqualTo(universal);
        assertThat(summary.params()).containsEntry("parent", universal).containsEntry("sampler", "greedy")
                .containsEntry("seed", "1").containsEntry("task", "bool-eval")
                .containsEntry("arch", "universal").containsEntry("train.steps", "300")
                .containsEntry("arch.d_model", "16");
        assertThat(summary.params().keySet()).noneMatch(key -> key.startsWith("sampler."));
        assertThat(summary.tags()).containsEntry("team", "decoding").containsEntry("eval", "greedy")
                .containsEntry("note", "tiny baseline");
        for (String metric : List.of("tokens_per_s_test_id", "model_calls_test_id", "seq_acc_test_id",
                "seq_acc_low_test_ood_depth")) {
            assertThat(parentSummary.metrics()).as("parent " + metric).containsKey(metric);
            assertThat(summary.metrics()).as(metric).containsKey(metric);
        }
        assertThat(summary.metrics().get("model_calls_test_id"))
                .isEqualTo(parentSummary.metrics().get("model_calls_test_id"));

        assertThat(run("runs", "search", "params.parent = '" + universal + "'", "--format", "json")).isZero();
        JsonNode hits = JSON.readTree(last.out());
        assertThat(hits).allSatisfy(hit -> assertThat(hit.at("/params/parent").asText()).isEqualTo(universal));
        assertThat(ids(hits)).contains(child).doesNotContain(universal, vanilla);
        assertThat(run("runs", "search", "tags.eval = 'greedy' and params.sampler = 'greedy'", "--format", "json"))
                .isZero();
        assertThat(ids(JSON.readTree(last.out()))).contains(child).doesNotContain(universal);

        assertThat(run("runs", "compare", universal, child)).as(last.err()).isZero();
        List<String> lines = last.out().lines().toList();
        assertThat(lines.get(0)).matches("PARAM +" + universal + " +" + child);
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("parent +- +" + universal))
                .anySatisfy(line -> assertThat(line).matches("sampler +greedy +greedy"))
                .anySatisfy(line -> assertThat(line).matches("task +bool-eval +bool-eval"))
                .anySatisfy(line -> assertThat(line).matches("tokens_per_s_test_id +\\d[\\d.e+-]* +\\d[\\d.e+-]*"))
                .anySatisfy(line -> assertThat(line).matches("seq_acc_test_id +(\\S+) +\\1"))
                .anySatisfy(line -> assertThat(line).matches("steps +" + theirs.steps() + " +0"));
        assertThat(lines).as("the params the runs share are not listed").noneMatch(line -> line.startsWith("train."));

        assertThat(run("runs", "show", child)).isZero();
        assertThat(last.out()).contains("parent    " + universal, "sampler   greedy");
        Path report = work.resolve("report");
        assertThat(run("report", universal, child, "--out", report.toString())).as(last.err()).isZero();
        assertThat(report.resolve("index.html")).isRegularFile();
    }

    @Test
    void aSamplerWithSettingsIsRecordedAndItsSeedIsTheParentsUnlessGiven() throws IOException {
        String noisy = evaluate("eval", universal, "--sampler", SessionGreedySampler.ID, "--set", "noise=0.5");
        String again = evaluate("eval", universal, "--sampler", SessionGreedySampler.ID, "--set", "sampler.noise=0.5",
                "--seed", "1");
        String other = evaluate("eval", universal, "--sampler", SessionGreedySampler.ID, "--set", "noise=0.5",
                "--seed", "2", "--tag", "team=sampling", "--note", "seed 2");
        StoredRun parent = store().open(universal);
        Map<String, Object> model = parent.config().model();
        double recursions = ((Number) model.get("effective_layers")).doubleValue()
                / ((Number) model.get("unique_layers")).doubleValue();
        SummaryRecord summary = store().open(noisy).summary();
        assertThat(summary.params()).containsEntry("sampler", SessionGreedySampler.ID)
                .containsEntry("sampler.noise", "0.5").containsEntry("seed", "1").containsEntry("parent", universal);
        for (String split : List.of("test_id", "test_ood_depth")) {
            assertThat(summary.metrics()).as(split).containsEntry("avg_depth_" + split, recursions);
            assertThat(summary.metrics().get("flops_" + split)).as(split).isPositive();
            assertThat(summary.metrics().get("model_calls_" + split)).as(split).isPositive();
        }
        assertThat(store().open(other).summary().params()).containsEntry("seed", "2");
        assertThat(store().open(other).summary().tags()).containsEntry("team", "sampling")
                .containsEntry("eval", SessionGreedySampler.ID).containsEntry("note", "seed 2");

        boolean differs = false;
        for (String split : parent.end().orElseThrow().splits().keySet()) {
            List<String> first = predictions(store().open(noisy), split);
            assertThat(predictions(store().open(again), split)).as(split).isEqualTo(first);
            differs |= !predictions(store().open(other), split).equals(first);
        }
        assertThat(differs).as("seed 2 draws other noise than seed 1").isTrue();
    }

    @Test
    void aRunEvaluatesWithItsSeedAndRecordsItsDecodingSoItsOwnEvaluationIsReproduced() throws IOException {
        List<String> before = store().ids();
        assertThat(run("run", "--task", "bool-eval", "--arch", "universal", "--steps", "20", "--seed", "5",
                "--sampler", SessionGreedySampler.ID, "--set", "sampler.noise=0.5", "--set", "arch.d_model=16",
                "--set", "arch.heads=2", "--set", "train.eval_examples=16", "--set", "train.batch_size=16"))
                .as(last.err()).isZero();
        List<String> added = new ArrayList<>(store().ids());
        added.removeAll(before);
        StoredRun trained = store().open(added.get(0));
        Map<String, Double> metrics = trained.summary().metrics();
        assertThat(metrics).containsKeys("tokens_per_s_test_id", "model_calls_test_ood_depth");
        assertThat(metrics.get("flops_test_id")).isPositive();
        assertThat(metrics.get("avg_depth_test_ood_depth")).isEqualTo(
                ((Number) trained.config().model().get("effective_layers")).doubleValue()
                / ((Number) trained.config().model().get("unique_layers")).doubleValue());

        String again = evaluate("eval", trained.id(), "--sampler", SessionGreedySampler.ID, "--set", "noise=0.5");
        assertThat(store().open(again).summary().params()).containsEntry("seed", "5");
        for (String split : List.of("test-id", "test-ood-depth")) {
            assertThat(predictions(store().open(again), split)).as(split).isEqualTo(predictions(trained, split));
            assertThat(store().open(again).end().orElseThrow().splits().get(split).decoding().flops())
                    .isEqualTo(trained.end().orElseThrow().splits().get(split).decoding().flops());
        }
    }

    @Test
    void whatTheUserTypedWrongExitsTwoInOneLineAndWritesNothing() throws IOException {
        RunStore store = store();
        String derived;
        try (RunWriter writer = store.derive(universal, store.open(universal).config(), "eval-by-hand")) {
            writer.finish(RunStatus.FINISHED, 0, false, 1.0, Map.of());
            derived = writer.id();
        }
        assertThat(run("runs", "search", "", "--format", "json", "--max", "1000")).isZero();
        int indexed = JSON.readTree(last.out()).size();
        List<String> before = snapshot(home.resolve("runs"));

        assertThat(run("eval", "19990101-no-such-run")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString()
                .startsWith("recursa: unknown run '19990101-no-such-run'; ");
        for (String hostile : List.of("../" + universal, home.resolve("runs").resolve(universal).toString())) {
            assertThat(run("eval", hostile)).as(hostile).isEqualTo(2);       // a path is not a run id
            assertThat(last.err().lines()).singleElement().asString().startsWith("recursa: unknown run '");
        }
        assertThat(run("eval", universal, "--sampler", "beam-search")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: unknown sampler 'beam-search'; installed samplers: "
                + "beam, depthwise-batching, diffusion-forcing, early-exit, greedy, sample, session-greedy");
        assertThat(run("eval", vanilla, "--sampler", SessionGreedySampler.ID)).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: sampler 'session-greedy' cannot decode architecture "
                + "'vanilla': it records recursions per token and needs a model whose depth is a knob; 'recursa "
                + "extensions --kind sampler' lists the others");
        assertThat(run("eval", universal, "--sampler", SessionGreedySampler.ID, "--set", "noise=1.5")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: sampler session-greedy: setting 'noise' must be a "
                + "number in [0.0, 1.0], got '1.5'");
        assertThat(run("eval", universal, "--set", "sampler.beam_size=4")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: unknown setting 'sampler.beam_size'; recursa eval "
                + "takes sampler settings only, and sampler 'greedy' takes no settings");
        assertThat(run("eval", universal, "--sampler", SessionGreedySampler.ID, "--set", "train.steps=5"))
                .isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: unknown setting 'train.steps'; recursa eval takes "
                + "sampler settings only, and sampler 'session-greedy' settings: sampler.noise");
        assertThat(run("eval", universal, "--tag", "bad key=x")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString().startsWith("recursa: --tag: invalid key 'bad key'");
        assertThat(run("eval", derived)).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: run " + derived + " is an evaluation of run "
                + universal + " and holds no weights of its own; evaluate " + universal + " instead");

        assertThat(snapshot(home.resolve("runs"))).as("no run directory, file or journal entry").isEqualTo(before);
        assertThat(run("runs", "search", "", "--format", "json", "--max", "1000")).isZero();
        assertThat(JSON.readTree(last.out())).as("no index entry").hasSize(indexed);
    }

    @Test
    void aRunWithoutWeightsOrStillRunningExitsOneAndWritesNothing() throws IOException {
        RunStore store = store();
        RunConfig trained = store.open(universal).config();
        String bare;
        try (RunWriter writer = store.create(trained, "no-checkpoint")) {
            writer.finish(RunStatus.FINISHED, 1, false, 1.0, Map.of());
            bare = writer.id();
        }
        try (RunWriter running = store.create(trained, "still-running")) {
            List<String> before = snapshot(home.resolve("runs"));
            assertThat(run("eval", bare)).isEqualTo(1);
            assertThat(last.err().lines()).containsExactly("recursa: run " + bare + " has no checkpoint (it "
                    + "finished); only a run that saved its weights can be evaluated");
            assertThat(run("eval", running.id())).isEqualTo(1);
            assertThat(last.err().lines()).containsExactly("recursa: run " + running.id() + " has not ended (it is "
                    + "running); evaluate it once it has");
            assertThat(snapshot(home.resolve("runs"))).isEqualTo(before);
        }
    }

    /** Runs {@code recursa eval ...}, checks it succeeded, and returns the id of the one run it added. */
    private String evaluate(String... args) {
        List<String> before = store().ids();
        assertThat(run(args)).as(last.err()).isZero();
        List<String> added = new ArrayList<>(store().ids());
        added.removeAll(before);
        assertThat(added).hasSize(1);
        return added.get(0);
    }

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        last = TestDistribution.run(all);
        return last.code();
    }

    private static RunStore store() {
        return RunStore.at(home.resolve("runs"));
    }
}
