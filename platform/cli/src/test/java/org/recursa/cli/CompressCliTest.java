package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.recursa.cli.CliFixtures.fabricate;
import static org.recursa.cli.CliFixtures.ids;
import static org.recursa.cli.CliFixtures.predictions;
import static org.recursa.cli.CliFixtures.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.cli.fixtures.MisfitCompressor;
import org.recursa.cli.fixtures.MisfitModule;
import org.recursa.engine.Checkpoint;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;

/**
 * {@code recursa compress} end to end, in process, with the real host and the first-party compressor bundles: a tiny
 * 4-layer vanilla transformer is trained on bool-eval and compressed by each compressor; every child is a run derived
 * from it with its own checkpoint in the compressor's storage, evaluated on the parent's examples; every mistake is
 * one line and writes nothing.
 */
class CompressCliTest {

    @TempDir
    static Path home;

    @TempDir
    static Path distribution;

    @TempDir
    static Path work;

    static String vanilla;
    static String universal;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDistribution.Result last;

    @BeforeAll
    static void trainTinyRuns() throws IOException {
        TestDistribution.install(distribution);
        Path jar = fabricate(work.resolve("misfit.jar"), Map.of("Bundle-SymbolicName", "test.misfit",
                "Bundle-Version", "1.0.0", "Import-Package", "org.recursa.api;version=\"[1.0,2)\","
                        + "org.recursa.api.compress;version=\"[1.0,2)\",org.recursa.api.model;version=\"[1.0,2)\","
                        + "org.recursa.api.plugin;version=\"[1.0,2)\",com.google.inject",
                "Recursa-Module", MisfitModule.class.getName()), MisfitModule.class, MisfitCompressor.class);
        CompressCliTest setup = new CompressCliTest();
        assertThat(setup.run("plugin", "install", jar.toString())).as(setup.last.err()).isZero();
        assertThat(setup.run("run", "--task", "bool-eval", "--arch", "vanilla", "--steps", "300",
                "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "arch.ffn=32", "--set", "arch.layers=4",
                "--set", "train.eval_examples=32", "--set", "train.batch_size=16", "--set", "train.lr=0.003",
                "--set", "train.warmup=10", "--tag", "team=compression")).as(setup.last.err()).isZero();
        vanilla = store().ids().get(0);
        assertThat(setup.run("run", "--task", "bool-eval", "--arch", "universal", "--steps", "1",
                "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "arch.ffn=32",
                "--set", "train.eval_examples=4", "--set", "train.batch_size=4")).as(setup.last.err()).isZero();
        universal = store().ids().stream().filter(id -> !id.equals(vanilla)).findFirst().orElseThrow();
    }

    @AfterAll
    static void clearDistribution() {
        TestDistribution.uninstall();
    }

    @Test
    void identityIsARunDerivedFromItsParentThatDecodesAsItDoes() throws IOException {
        String child = compress("compress", vanilla.substring(0, 24), "--compressor", "identity",
                "--tag", "round=1");
        assertThat(last.out()).contains("compressed run " + vanilla + " (vanilla on bool-eval) with identity",
                "run " + child + " finished", "derived from run " + vanilla);
        assertThat(last.out().lines()).anySatisfy(line -> assertThat(line).matches(
                "MODEL +PARAMETERS +WEIGHT BYTES +CHECKPOINT BYTES +SMALLER BY"));
        StoredRun parent = store().open(vanilla);
        StoredRun derived = store().open(child);
        RunConfig config = derived.config();
        assertThat(config.parent()).isEqualTo(vanilla);
        assertThat(config.compressor().id()).isEqualTo("identity");
        assertThat(config.compressor().settings()).containsEntry("uptrain.steps", 0);
        assertThat(config.architecture().id()).isEqualTo("vanilla");
        assertThat(config.tags()).containsEntry("compress", "identity").containsEntry("team", "compression")
                .containsEntry("round", "1");
        FinalRecord theirs = parent.end().orElseThrow();
        FinalRecord mine = derived.end().orElseThrow();
        assertThat(theirs.splits().get("test-id").seqAcc()).as("some right, some wrong: equality means something")
                .isStrictlyBetween(0.0, 1.0);
        for (String split : theirs.splits().keySet()) {
            assertThat(mine.splits().get(split).seqAcc()).as(split).isEqualTo(theirs.splits().get(split).seqAcc());
            assertThat(predictions(derived, split)).as(split).isEqualTo(predictions(parent, split));
        }
        FinalRecord.Compression saved = mine.compression();
        assertThat(saved.parametersAfter()).isEqualTo(saved.parametersBefore());
        assertThat(saved.checkpointBytes()).isEqualTo(Files.size(derived.checkpoint().orElseThrow()));
        assertThat(saved.parentCheckpointBytes()).isEqualTo(Files.size(parent.checkpoint().orElseThrow()));
        assertThat(Checkpoint.read(derived.checkpoint().orElseThrow()).weights())
                .isEqualTo(Checkpoint.read(parent.checkpoint().orElseThrow()).weights());

        assertThat(run("runs", "search", "params.compressor = 'identity' and params.parent = '" + vanilla + "'",
                "--format", "json")).as(last.err()).isZero();
        assertThat(ids(JSON.readTree(last.out()))).contains(child);
    }

    @Test
    void uptrainingRunsTheTrainerAndIsRecorded() throws IOException {
        String child = compress("compress", vanilla, "--compressor", "identity", "--set", "uptrain.steps=12",
                "--set", "uptrain.lr=0.0005");
        StoredRun derived = store().open(child);
        FinalRecord mine = derived.end().orElseThrow();
        assertThat(mine.steps()).isEqualTo(12);
        assertThat(mine.compression().uptrainSteps()).isEqualTo(12);
        assertThat(derived.config().train()).containsEntry("steps", 12).containsEntry("lr", 0.0005);
        assertThat(derived.config().compressor().settings()).containsEntry("uptrain.steps", 12);
        assertThat(derived.progress().steps()).hasSize(12);
        assertThat(Checkpoint.read(derived.checkpoint().orElseThrow()).weights())
                .as("uptraining changed the weights")
                .isNotEqualTo(Checkpoint.read(store().open(vanilla).checkpoint().orElseThrow()).weights());
    }

    @Test
    void int8StoresEveryMatrixInABytePerValueAndReportsIt() throws IOException {
        String child = compress("compress", vanilla, "--compressor", "int8");
        StoredRun derived = store().open(child);
        Checkpoint.Contents contents = Checkpoint.read(derived.checkpoint().orElseThrow());
        contents.weights().tensors().forEach((name, tensor) -> assertThat(tensor.storage()).as(name)
                .isInstanceOf(tensor.shape().length >= 2 ? Storage.Int8.class : Storage.Float32.class));
        FinalRecord.Compression saved = derived.end().orElseThrow().compression();
        assertThat(saved.bytesAfter()).isEqualTo(contents.weights().storageBytes());
        // d_model 16: a (48, 16) matrix takes 768 bytes and 48 scales instead of 3,072 bytes; the checkpoint's
        // header (provenance of every bundle) is a large share of a model this small
        assertThat((double) saved.bytesBefore() / saved.bytesAfter()).isGreaterThan(2.5);
        assertThat(saved.checkpointRatio()).isGreaterThan(1.8);
        assertThat(saved.measures()).containsKeys("max_abs_error", "calibration_top1_agreement");
        assertThat(last.out()).contains("compressor measures: ", "calibration_top1_agreement=");
        assertThat(derived.end().orElseThrow().splits().get("test-id").examples()).isEqualTo(32);
        assertThat(run("runs", "search", "metrics.compression_ratio > 1.8 and params.compressor = 'int8'",
                "--format", "json")).as(last.err()).isZero();
        assertThat(ids(JSON.readTree(last.out()))).containsExactly(child);
    }

    @Test
    void layerTyingAtFullRankIsARelaxedModelThatDecodesAsTheVanillaOne() throws IOException {
        String child = compress("compress", vanilla, "--compressor", "layer-tying", "--set", "rank=16",
                "--set", "norms_from=depth", "--set", "init=stepwise");
        StoredRun derived = store().open(child);
        RunConfig config = derived.config();
        assertThat(config.architecture().id()).isEqualTo("relaxed");
        assertThat(config.architecture().settings()).containsEntry("shared_layers", 2).containsEntry("loops", 2)
                .containsEntry("lora_rank", 16);
        StoredRun parent = store().open(vanilla);
        for (String split : parent.end().orElseThrow().splits().keySet()) {
            List<String> theirs = predictions(parent, split);
            List<String> mine = predictions(derived, split);
            long differ = java.util.stream.IntStream.range(0, theirs.size())
                    .filter(i -> !theirs.get(i).equals(mine.get(i))).count();
            // the relaxed model computes W'x + B(Ax) for Wx: a float rounding apart, which can flip a near tie
            assertThat(differ).as(split).isLessThanOrEqualTo(1);
        }
        assertThat(derived.end().orElseThrow().compression().measures().get("residual_energy_kept"))
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

        Path report = work.resolve("report");
        assertThat(run("report", vanilla, child, "--out", report.toString())).as(last.err()).isZero();
        assertThat(report.resolve("charts").resolve("seq-acc-by-size-test-id.png")).isRegularFile();
        assertThat(Files.readString(report.resolve("index.html"))).contains("Size and accuracy", "layer-tying");
    }

    @Test
    void pruningKeepsItsZerosThroughUptraining() throws IOException {
        String plain = compress("compress", vanilla, "--compressor", "prune", "--set", "sparsity=0.5");
        String uptrained = compress("compress", vanilla, "--compressor", "prune", "--set", "sparsity=0.5",
                "--set", "uptrain.steps=15");
        Map<String, Tensor> before = Checkpoint.read(store().open(plain).checkpoint().orElseThrow()).weights()
                .tensors();
        Map<String, Tensor> after = Checkpoint.read(store().open(uptrained).checkpoint().orElseThrow()).weights()
                .tensors();
        long sparse = 0;
        for (Map.Entry<String, Tensor> entry : before.entrySet()) {
            Tensor a = entry.getValue();
            Tensor b = after.get(entry.getKey());
            assertThat(b.storage()).as(entry.getKey()).isEqualTo(a.storage());
            if (a.storage() instanceof Storage.Sparse) {
                sparse++;
                for (int i = 0; i < a.values().length; i++) {
                    assertThat(b.values()[i] == 0).as(entry.getKey() + "[" + i + "] zero before and after")
                            .isEqualTo(a.values()[i] == 0);
                }
                assertThat(b.values()).as("uptraining moved the kept weights").isNotEqualTo(a.values());
            }
        }
        assertThat(sparse).as("every block matrix: 4 layers x 4").isEqualTo(16);
        FinalRecord.Compression saved = store().open(uptrained).end().orElseThrow().compression();
        assertThat(saved.measures().get("sparsity")).isGreaterThanOrEqualTo(0.5);
        assertThat(saved.uptrainSteps()).isEqualTo(15);
        assertThat(saved.checkpointBytes()).isLessThan(saved.parentCheckpointBytes());
    }

    @Test
    void aCompressorThatDoesNotApplyOrSettingsThatDoNotFitExitTwoAndWriteNothing() throws IOException {
        List<String> before = snapshot(home.resolve("runs"));

        assertThat(run("compress", vanilla, "--compressor", "layer-tying", "--set", "rank=17")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString().startsWith("recursa: compressor 'layer-tying' "
                + "cannot compress run " + vanilla + ": rank=17 is more than the full rank").contains("use rank <= 16");
        assertThat(run("compress", universal, "--compressor", "layer-tying")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString().contains("layer-tying converts a 'vanilla' model "
                + "into a 'relaxed' one; this model is 'universal'");
        assertThat(run("compress", vanilla, "--compressor", "depth", "--set", "recursions=2")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString().startsWith("recursa: compressor 'depth' cannot "
                + "compress run " + vanilla + ": ");
        assertThat(run("compress", vanilla, "--compressor", "prune", "--set", "sparsity=1")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString()
                .endsWith("setting 'sparsity' must be a number in [0, 1), got '1.0'");
        assertThat(run("compress", vanilla, "--compressor", "prune", "--set", "sparsity=-0.1")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString().contains("must be a number in [0, 1)");
        assertThat(run("compress", vanilla, "--compressor", "int8", "--set", "uptrain.steps=10")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString().startsWith("recursa: compressor 'int8' cannot "
                + "compress run " + vanilla + ": int8 is post-training quantisation");

        assertThat(snapshot(home.resolve("runs"))).as("no run directory, file or journal entry").isEqualTo(before);
    }

    @Test
    void whatTheUserTypedWrongExitsTwoInOneLineAndWritesNothing() throws IOException {
        RunStore store = store();
        String evaluation;
        try (RunWriter writer = store.derive(vanilla, store.open(vanilla).config(), "eval-by-hand")) {
            writer.finish(RunStatus.FINISHED, 0, false, 1.0, Map.of());
            evaluation = writer.id();
        }
        List<String> before = snapshot(home.resolve("runs"));

        assertThat(run("compress", evaluation, "--compressor", "int8")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: run " + evaluation + " is an evaluation of run "
                + vanilla + " and holds no weights of its own; compress " + vanilla + " instead");

        assertThat(run("compress", vanilla)).isEqualTo(2);
        assertThat(last.err()).contains("Missing required option: '--compressor=ID'");
        assertThat(run("compress", vanilla, "--compressor", "zip")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString()
                .startsWith("recursa: unknown compressor 'zip'; installed compressors: ");
        assertThat(run("compress", "../" + vanilla, "--compressor", "identity")).isEqualTo(2);
        assertThat(last.err().lines()).singleElement().asString().startsWith("recursa: unknown run '");
        assertThat(run("compress", vanilla, "--compressor", "identity", "--set", "rank=3")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: unknown setting 'rank'; recursa compress takes "
                + "uptrain.steps, uptrain.lr and no setting of compressor 'identity'");
        assertThat(run("compress", vanilla, "--compressor", "identity", "--set", "uptrain.steps=-1")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: uptrain.steps must be an integer from 0 to "
                + "1000000, got -1");
        assertThat(run("compress", vanilla, "--compressor", "identity", "--set", "uptrain.lr=0.01")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: uptrain.lr is only used with uptrain.steps > 0; set "
                + "uptrain.steps too");
        assertThat(run("compress", vanilla, "--compressor", "identity", "--set", "uptrain.lr=fast")).isEqualTo(2);
        assertThat(last.err().lines()).containsExactly("recursa: uptrain.lr must be a number in (0, 1], got 'fast'");

        assertThat(snapshot(home.resolve("runs"))).as("no run directory, file or journal entry").isEqualTo(before);
    }

    @Test
    void aParentWithoutWeightsOrAMisfitCompressionExitsOneAndWritesNothing() throws IOException {
        RunStore store = store();
        RunConfig trained = store.open(vanilla).config();
        String bare;
        try (RunWriter writer = store.create(trained, "no-checkpoint")) {
            writer.finish(RunStatus.FINISHED, 1, false, 1.0, Map.of());
            bare = writer.id();
        }
        try (RunWriter running = store.create(trained, "still-running")) {
            List<String> before = snapshot(home.resolve("runs"));
            assertThat(run("compress", bare, "--compressor", "identity")).isEqualTo(1);
            assertThat(last.err().lines()).containsExactly("recursa: run " + bare + " has no checkpoint (it "
                    + "finished); only a run that saved its weights can be compressed");
            assertThat(run("compress", running.id(), "--compressor", "identity")).isEqualTo(1);
            assertThat(last.err().lines()).containsExactly("recursa: run " + running.id() + " has not ended (it is "
                    + "running); compress it once it has");
            assertThat(run("compress", vanilla, "--compressor", MisfitCompressor.ID)).isEqualTo(1);
            assertThat(last.err().lines()).singleElement().asString().startsWith("recursa: compressor 'misfit' "
                    + "returned weights that do not fit vanilla: unexpected weight 'renamed.");
            assertThat(snapshot(home.resolve("runs"))).isEqualTo(before);
        }
    }

    /** Runs {@code recursa compress ...}, checks it succeeded, and returns the id of the one run it added. */
    private String compress(String... args) {
        List<String> before = store().ids();
        assertThat(run(args)).as(last == null ? "" : last.err()).isZero();
        assertThat(last.err()).isEmpty();
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
