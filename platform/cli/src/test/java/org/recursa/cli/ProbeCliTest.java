package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.Component;
import org.recursa.runstore.ProbeRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;
import org.recursa.runstore.StoredRun;

/**
 * {@code recursa probe} end to end, in process, with the real host and bundles: a tiny Universal Transformer is
 * trained on binary-successor, probed, and reported; runs that cannot be probed are refused in one line.
 */
class ProbeCliTest {

    @TempDir
    static Path home;

    @TempDir
    static Path distribution;

    static String id;

    private String out;
    private String err;

    @BeforeAll
    static void trainATinyRun() throws IOException {
        Path plugins = Files.createDirectories(distribution.resolve("plugins"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty("recursa.test.bundles")),
                "*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, distribution.toString());
        ProbeCliTest setup = new ProbeCliTest();
        assertThat(setup.run("--home", home.toString(), "run", "--task", "binary-successor", "--arch", "universal",
                "--steps", "30", "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "train.eval_examples=16",
                "--set", "train.batch_size=16")).as(setup.err).isZero();
        id = RunStore.at(home.resolve("runs")).ids().get(0);
    }

    @AfterAll
    static void clearDistribution() {
        System.clearProperty(HostSession.DISTRIBUTION_PROPERTY);
    }

    @Test
    void probesEveryRecursionWritesTheRecordAndTheReportShowsIt() throws IOException {
        assertThat(run("--home", home.toString(), "probe", id.substring(0, 20))).as(err).isZero();
        assertThat(out).contains("probing run " + id + " (universal on binary-successor), split test-id: 16 examples",
                "fitted on the tokens of 12 examples, scored on the tokens of 4 held-out ones");
        assertThat(out.lines()).anySatisfy(line -> assertThat(line).matches(
                "STEP +TOKENS +in_carry_chain \\(acc\\) +remaining_steps \\(R²\\) +pending_subterms \\(R²\\)"));
        for (String step : new String[] {"embed", "recursion.1", "recursion.2", "recursion.3", "recursion.4"}) {
            assertThat(out.lines()).as(step).anySatisfy(line -> assertThat(line)
                    .matches(step.replace(".", "\\.") + " +\\d+ +\\d\\.\\d{3} +-?\\d+\\.\\d{3} +-?\\d+\\.\\d{3}"));
        }
        assertThat(out.lines()).anySatisfy(line -> assertThat(line)
                .matches("\\(baseline\\) +\\d\\.\\d{3} +0\\.000 +0\\.000"));
        Path file = home.resolve("runs").resolve(id).resolve("probes/test-id.json");
        assertThat(out).contains("wrote " + file);

        StoredRun run = RunStore.at(home.resolve("runs")).open(id);
        ProbeRecord record = run.probes().get("test-id");
        assertThat(record.steps()).containsExactly("embed", "recursion.1", "recursion.2", "recursion.3",
                "recursion.4");
        assertThat(record.targets()).extracting(ProbeRecord.Target::name)
                .containsExactly("in_carry_chain", "remaining_steps", "pending_subterms");
        assertThat(record.attention().steps()).containsOnlyKeys("recursion.1", "recursion.2", "recursion.3",
                "recursion.4");
        assertThat(record.attention().steps().get("recursion.1")).hasDimensions(2, record.attention().tokens().size());

        assertThat(run("--home", home.toString(), "runs", "show", id)).as(err).isZero();
        assertThat(out).containsPattern("(?m)^probes\n  test-id +5 steps x 3 features, 16 examples, 20\\d\\d-");

        assertThat(run("--home", home.toString(), "report", id, "--out", home.resolve("report").toString()))
                .as(err).isZero();
        String html = Files.readString(home.resolve("report/index.html"));
        assertThat(html).contains("<h2>Linear probes and attention</h2>", "<figure id=\"probe-test-id-" + id + "\">",
                "<figure id=\"attention-test-id-recursion.4-" + id + "\">", "(probes/test-id.json)");
        assertThat(home.resolve("report/charts/probe-test-id-" + id + ".png")).isRegularFile();
    }

    @Test
    void whatTheUserTypedWrongExitsTwoInOneLine() {
        assertThat(run("--home", home.toString(), "probe", id, "--split", "test-nowhere")).isEqualTo(2);
        assertThat(err.lines()).containsExactly("recursa: task 'binary-successor' has no split 'test-nowhere'; its "
                + "splits: train, test-id, test-edge-carry, test-ood-carry, test-ood-length");
        assertThat(run("--home", home.toString(), "probe", "19990101-no-such-run")).isEqualTo(2);
        assertThat(err.lines()).singleElement().asString().startsWith("recursa: unknown run '19990101-no-such-run'");
        assertThat(run("--home", home.toString(), "probe", id, "--examples", "3")).isEqualTo(2);
        assertThat(err.lines()).containsExactly("recursa: --examples must be at least 4 (some to fit probes on, some "
                + "held out), got 3");
    }

    @Test
    void aRunWithoutACheckpointOrAFeaturelessTaskExitsOneInOneLine() throws IOException {
        RunStore store = RunStore.at(home.resolve("runs"));
        RunConfig trained = store.open(id).config();
        String bare;
        try (RunWriter writer = store.create(trained, "no-checkpoint")) {
            writer.finish(RunStatus.FINISHED, 1, false, 1.0, Map.of());
            bare = writer.id();
        }
        assertThat(run("--home", home.toString(), "probe", bare)).isEqualTo(1);
        assertThat(err.lines()).containsExactly("recursa: run " + bare + " has no checkpoint (it finished); only a "
                + "run that saved its weights can be probed");

        RunConfig copy = new RunConfig(0, null, trained.startedAt(), null, trained.seed(), "io", Map.of(), null,
                new Component("copy", "recursa-task-copy", "0.1.0", Map.of()), trained.architecture(),
                trained.sampler(), trained.train(), trained.model(), trained.platform());
        String featureless;
        Path checkpoint = store.open(id).checkpoint().orElseThrow();
        try (RunWriter writer = store.create(copy, "copy")) {
            writer.checkpoint(target -> Files.copy(checkpoint, target, StandardCopyOption.REPLACE_EXISTING));
            writer.finish(RunStatus.FINISHED, 1, false, 1.0, Map.of());
            featureless = writer.id();
        }
        assertThat(run("--home", home.toString(), "probe", featureless)).isEqualTo(1);
        assertThat(err.lines()).containsExactly("recursa: task 'copy' declares no per-token features "
                + "(Task.tokenFeatures), so there is nothing to probe; see docs/probes.md");
        assertThat(store.open(featureless).probes()).isEmpty();
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }
}
