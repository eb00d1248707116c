package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.ProgressLog;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.ManifestHeader;

/** The recursa command end to end, in process, with a real host and the real first-party bundles. */
class CliTest {

    @TempDir
    Path home;

    @TempDir
    Path distribution;

    private String out;
    private String err;

    @BeforeEach
    void distributionWithTheFirstPartyBundles() throws IOException {
        Path plugins = Files.createDirectories(distribution.resolve("plugins"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(bundles(), "*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, distribution.toString());
    }

    @AfterEach
    void clearDistribution() {
        System.clearProperty(HostSession.DISTRIBUTION_PROPERTY);
    }

    @Test
    void versionAndHelpExitZero() {
        assertThat(run("--version")).isZero();
        assertThat(out).startsWith("recursa 0.1.0-SNAPSHOT (commit ").contains("API 1.0.0", "Felix 7.0.5");
        assertThat(out.lines()).as("every package the host exports to plugins, one per line, with its version")
                .contains("packages exported to plugins:", "  org.recursa.api 1.0.0", "  org.recursa.api.task 1.0.0",
                        "  org.recursa.api.model 1.0.0", "  org.recursa.engine.nn 1.1.0",
                        "  org.recursa.engine.optim 1.0.0", "  org.recursa.engine.train 1.3.0")
                .noneMatch(line -> line.contains("org.recursa.runstore") || line.contains("org.recursa.engine.kernel"));
        assertThat(run("--help")).isZero();
        assertThat(out).contains("extensions", "plugin", "--home");
    }

    @Test
    void usageErrorsExitTwoWithOneLineAndAHint() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.lines()).containsExactly("recursa: Unmatched argument at index 0: 'frobnicate'",
                "Try 'recursa --help' for usage.");
        assertThat(run("--home", home.toString(), "extensions", "--kind", "widget")).isEqualTo(2);
        assertThat(err).startsWith("recursa: Invalid value for option '--kind': unknown kind 'widget'; "
                + "valid kinds: architecture, task, sampler, compressor");
    }

    @Test
    void extensionsListsTheFirstPartyPluginsGroupedByKind() {
        assertThat(run("--home", home.toString(), "extensions")).isZero();
        assertThat(out).contains("ARCHITECTURES", "TASKS", "SAMPLERS", "COMPRESSORS");
        assertThat(out.indexOf("universal")).isBetween(out.indexOf("ARCHITECTURES"), out.indexOf("TASKS"));
        assertThat(out.indexOf("vanilla")).isBetween(out.indexOf("ARCHITECTURES"), out.indexOf("TASKS"));
        assertThat(out.indexOf("copy")).isBetween(out.indexOf("TASKS"), out.indexOf("SAMPLERS"));
        assertThat(out.indexOf("greedy")).isBetween(out.indexOf("SAMPLERS"), out.indexOf("COMPRESSORS"));
        assertThat(out.indexOf("  sample ")).isBetween(out.indexOf("SAMPLERS"), out.indexOf("COMPRESSORS"));
        assertThat(out.indexOf("  beam ")).isBetween(out.indexOf("SAMPLERS"), out.indexOf("COMPRESSORS"));
        assertThat(out.indexOf("identity")).isGreaterThan(out.indexOf("COMPRESSORS"));
        assertThat(err).isEmpty();

        assertThat(run("--home", home.toString(), "extensions", "--kind", "samplers")).isZero();
        assertThat(out).contains("greedy", "  beam ", "  sample ").doesNotContain("copy", "TASKS");
    }

    @Test
    void uninstallThenInstallRoundTrip() throws IOException {
        assertThat(run("--home", home.toString(), "plugin", "uninstall", "copy")).isZero();
        assertThat(out).startsWith("uninstalled recursa-task-copy 0.1.0.SNAPSHOT: task copy");
        assertThat(run("--home", home.toString(), "extensions", "--kind", "task")).isZero();
        assertThat(out).contains("binary-successor").doesNotContain("copy");

        Path jar = firstParty("recursa-task-copy");
        assertThat(run("--home", home.toString(), "plugin", "install", jar.toString())).isZero();
        assertThat(out).startsWith("installed recursa-task-copy 0.1.0.SNAPSHOT: task copy");
        assertThat(run("--home", home.toString(), "plugin", "list")).isZero();
        assertThat(out.lines().findFirst().orElseThrow()).matches("ID +KIND +VERSION +BUNDLE +STATE");
        assertThat(out).containsPattern("copy +task +0\\.1\\.0\\.SNAPSHOT +recursa-task-copy +active");
    }

    @Test
    void infoShowsTheBundleAndTheSettings() {
        assertThat(run("--home", home.toString(), "plugin", "info", "copy")).isZero();
        assertThat(out).contains("bundle:       recursa-task-copy 0.1.0.SNAPSHOT", "origin:       distribution",
                "task copy:", "max_length");
        assertThat(run("--home", home.toString(), "plugin", "info", "nope")).as("an unknown id is a usage error")
                .isEqualTo(2);
        assertThat(err.lines()).singleElement().asString()
                .startsWith("recursa: no installed plugin offers an extension or is a bundle named 'nope'");
        assertThat(run("--home", home.toString(), "plugin", "uninstall", "nope")).isEqualTo(2);
    }

    @Test
    void failuresExitOneWithOneLineAndNoStackTrace() throws IOException {
        Path text = Files.writeString(home.resolve("notes.txt"), "hello");
        assertThat(run("--home", home.toString(), "plugin", "install", text.toString())).isEqualTo(1);
        assertThat(err.lines()).containsExactly(
                "recursa: notes.txt is not a jar file (zip END header not found); expected an OSGi bundle .jar");
        assertThat(run("--home", home.toString(), "--verbose", "plugin", "install", text.toString())).isEqualTo(1);
        assertThat(err).contains("at org.recursa.runtime.BundleFile");
    }

    @Test
    void installOfADirectoryOrAMissingPathSaysWhichInOneLine() throws IOException {
        Path directory = Files.createDirectories(distribution.resolve("build"));
        assertThat(run("--home", home.toString(), "plugin", "install", directory.toString())).isEqualTo(2);
        assertThat(err.lines()).containsExactly(
                "recursa: " + directory + " is a directory; expected the path of a plugin bundle .jar file");
        Path missing = distribution.resolve("nowhere.jar");
        assertThat(run("--home", home.toString(), "plugin", "install", missing.toString())).isEqualTo(2);
        assertThat(err.lines()).containsExactly(
                "recursa: " + missing + " does not exist; expected the path of a plugin bundle .jar file");
        assertThat(home).as("a bad argument is refused before the home is touched").isEmptyDirectory();
    }

    @Test
    void runRejectsBadInputWithOneLineAndWritesNothing() {
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "lstm")).isEqualTo(2);
        assertThat(err.lines()).containsExactly(
                "recursa: unknown architecture 'lstm'; installed architectures: loopformer, mor, recurrent-depth, "
                        + "relaxed, sliced, universal, vanilla");
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--set",
                "arch.d_model=huge")).isEqualTo(2);
        assertThat(err.lines()).containsExactly(
                "recursa: arch vanilla: setting 'd_model' must be an integer in [8, 4096], got 'huge'");
        assertThat(run("--home", home.toString(), "run", "--arch", "vanilla")).isEqualTo(2);
        assertThat(err).startsWith("recursa: Missing required option: '--task=ID'");
        assertThat(home.resolve("runs")).doesNotExist();
    }

    @Test
    void everythingTheUserTypedWrongExitsTwo() {
        String[][] cases = {
            {"run", "--task", "copy", "--arch", "vanilla", "--set", "d_model=abc"},
            {"run", "--task", "copy", "--arch", "vanilla", "--set", "no_such_setting=1"},
            {"run", "--task", "copy", "--arch", "vanilla", "--set", "arch.no_such_setting=1"},
            {"run", "--task", "copy", "--arch", "vanilla", "--set", "arch.heads=3"},
            {"run", "--task", "sorting-hat", "--arch", "vanilla"},
            {"run", "--task", "copy", "--arch", "vanilla", "--sampler", "nucleus"},
            {"run", "--task", "copy", "--arch", "vanilla", "--sampler", "beam", "--set", "width=0"},
            {"run", "--task", "copy", "--arch", "vanilla", "--sampler", "sample", "--set", "top_p=0"},
            {"run", "--task", "copy", "--arch", "vanilla", "--mode", "trace"},
            {"run", "--task", "copy", "--arch", "vanilla", "--mode", "bogus"},
            {"report", "20990101-000000-copy-vanilla-0000"},
            {"runs", "compare", "no-such-run", "nor-this-one"},
        };
        for (String[] args : cases) {
            String[] withHome = new String[args.length + 2];
            withHome[0] = "--home";
            withHome[1] = home.toString();
            System.arraycopy(args, 0, withHome, 2, args.length);
            assertThat(run(withHome)).as(String.join(" ", args) + ": " + err).isEqualTo(2);
            assertThat(err.lines().findFirst().orElseThrow()).as(String.join(" ", args)).startsWith("recursa: ");
            assertThat(err).as(String.join(" ", args)).doesNotContain("Exception", "\tat ");
        }
        assertThat(home.resolve("runs")).doesNotExist();
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--set",
                "d_model=abc")).isEqualTo(2);
        assertThat(err.lines()).containsExactly(
                "recursa: arch vanilla: setting 'd_model' must be an integer in [8, 4096], got 'abc'");
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--sampler",
                "nucleus")).isEqualTo(2);
        assertThat(err.lines()).containsExactly("recursa: unknown sampler 'nucleus'; installed samplers: beam, "
                + "depthwise-batching, diffusion-forcing, early-exit, greedy, sample");
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--sampler",
                "sample", "--set", "sampler.temperature=0")).isEqualTo(2);
        assertThat(err.lines()).containsExactly(
                "recursa: sampler sample: setting 'temperature' must be a number in [1.0E-6, 1000.0], got '0'");
    }

    @Test
    void aTagNeedsANonEmptyKeyOfLettersDigitsDotsDashesOrUnderscores() {
        for (String tag : new String[] {"=x", "has space=1", "a/b=2", "é=3"}) {
            assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--steps", "1",
                    "--tag", tag)).as(tag).isEqualTo(2);
            assertThat(err.lines().findFirst().orElseThrow()).as(tag).startsWith("recursa: --tag: ")
                    .contains("'" + tag.substring(0, tag.indexOf('=')) + "'", "[A-Za-z0-9_.-]+");
            assertThat(err).as(tag).doesNotContain("Exception");
        }
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--tag", "x"))
                .isEqualTo(2);
        assertThat(err.lines().findFirst().orElseThrow()).startsWith("recursa: ").contains("--tag", "KEY=VALUE");
        assertThat(home.resolve("runs")).doesNotExist();
    }

    @Test
    void aModelThatCannotFitIsRefusedBeforeItIsBuilt() {
        long start = System.nanoTime();
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--set",
                "d_model=4096", "--set", "ffn=16384", "--set", "layers=64", "--set", "heads=64")).isEqualTo(1);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(err.lines()).singleElement().asString()
                .startsWith("recursa: vanilla with these settings needs about ")
                .containsPattern("[0-9.]+ [GT]B")
                .contains("parameters", "available", "off-heap");
        assertThat(out).doesNotContain("training vanilla");
        assertThat(seconds).as("refused before allocating").isLessThan(60);
        assertThat(home.resolve("runs")).doesNotExist();
    }

    @Test
    void aRunThatCannotBeWrittenNamesThePath() throws IOException {
        Files.writeString(home.resolve("runs"), "a file where the runs directory should be");
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--steps", "1",
                "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "train.eval_examples=4",
                "--set", "train.batch_size=4")).isEqualTo(1);
        assertThat(err.lines()).singleElement().asString().isEqualTo("recursa: cannot create the run store "
                + home.resolve("runs") + ": it exists and is not a directory; move it away or choose another home");
    }

    @Test
    void aReportThatCannotBeWrittenNamesTheFileInTheWay() throws IOException {
        Path file = Files.writeString(home.resolve("somefile"), "mine");
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--steps", "1",
                "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "train.eval_examples=4",
                "--set", "train.batch_size=4")).isZero();
        String id = out.lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().split(" ")[1];
        assertThat(run("--home", home.toString(), "report", id, "--out", file.resolve("report").toString()))
                .isEqualTo(1);
        assertThat(err.lines()).singleElement().asString().startsWith("recursa: ")
                .contains(file.toString(), "is a file").doesNotContain("NullPointer");
        assertThat(file).hasContent("mine");
    }

    @Test
    void runTrainsAndPrintsASummaryTable() throws Exception {
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "vanilla", "--steps", "4",
                "--set", "arch.d_model=16", "--set", "arch.heads=2", "--set", "train.eval_examples=8",
                "--set", "train.batch_size=8")).isZero();
        assertThat(out).contains("training vanilla on copy:", "finished after 4 steps", "SPLIT", "test-id",
                "test-ood-length", "run directory: " + home.resolve("runs"));
        assertThat(out).containsPattern("(?m)^training set: 10,000 examples, [0-9,]+ distinct inputs; no evaluation "
                + "input is a training input$");
        assertThat(out).containsPattern("(?m)^SPLIT +OOD +EXAMPLES +DISTINCT +TOKEN ACC +SEQ ACC +95% CI +PER INPUT "
                + "+95% CI$");
        String fraction = "[01]\\.\\d{4}";
        String interval = "\\[[01]\\.\\d{3}, [01]\\.\\d{3}\\]";
        assertThat(out).containsPattern("(?m)^test-id +no +8 +[1-8] +" + fraction + " +" + fraction + " +" + interval
                + " +" + fraction + " +" + interval + "$");
        String id = out.lines().filter(l -> l.startsWith("run ") && l.contains(" finished after "))
                .map(l -> l.split(" ")[1]).findFirst().orElseThrow();

        // the run the real runtime wrote is indexed, searchable and reportable
        assertThat(run("--home", home.toString(), "runs", "search", "params.task = 'copy'", "--format", "json"))
                .isZero();
        assertThat(out).contains("\"run_id\" : \"" + id + "\"", "\"status\" : \"finished\"", "\"seq_acc_test_id\"");
        assertThat(run("--home", home.toString(), "traces", "search", "run.params.arch = 'vanilla' and split = "
                + "'test-ood-length'", "--format", "json", "--max", "100")).isZero();
        assertThat(out).contains("\"run\" : \"" + id + "\"", "\"split\" : \"test-ood-length\"");
        assertThat(run("--home", home.toString(), "report", id, "--out", home.resolve("report").toString())).isZero();
        assertThat(home.resolve("report/index.html")).content().contains(id);

        // runs show names the build and every bundle with its jar's hash, abbreviated
        assertThat(run("--home", home.toString(), "runs", "show", id)).isZero();
        assertThat(out).contains("built by  recursa 0.1.0-SNAPSHOT (commit ", "bundles   17 started");
        assertThat(out).containsPattern("(?m)^  test-ood-length +8 +[1-8] +" + fraction + " +" + fraction + " +"
                + interval + " +" + fraction + " +" + interval + "$");
        assertThat(out).containsPattern("(?m)^  distinct_inputs_test_id +[1-8]$");
        assertThat(out).containsPattern("(?m)^  recursa-task-copy +0\\.1\\.0\\.SNAPSHOT +"
                + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(firstParty("recursa-task-copy")))).substring(0, 12) + "  task$");
    }

    @Test
    void aPluginBuiltOnTheApiAndTrainingSpiAloneInstallsAndTrainsThroughRun() throws IOException {
        Path jar;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty(
                "recursa.example.bundles")), "recursa-example-arch-looped-*.jar")) {
            jar = jars.iterator().next();
        }
        List<String> imports;
        try (JarFile file = new JarFile(jar.toFile())) {
            imports = ManifestHeader.parse(file.getManifest().getMainAttributes().getValue("Import-Package")).stream()
                    .flatMap(clause -> clause.names().stream()).toList();
        }
        assertThat(imports).as("what the example plugin needs of Recursa")
                .contains("org.recursa.api.model", "org.recursa.engine.train", "org.recursa.engine.ops")
                .noneMatch(name -> name.startsWith("org.recursa.engine.kernel")
                        || name.startsWith("org.recursa.engine.host")
                        || name.startsWith("org.recursa.runtime") || name.startsWith("org.recursa.runstore"))
                .allMatch(name -> name.startsWith("org.recursa.api") || name.startsWith("org.recursa.engine")
                        || name.startsWith("org.nd4j.") || name.startsWith("com.google.inject")
                        || name.startsWith("java."));

        assertThat(run("--home", home.toString(), "plugin", "install", jar.toString())).isZero();
        assertThat(out).startsWith("installed recursa-example-arch-looped 0.1.0.SNAPSHOT: architecture looped");
        assertThat(run("--home", home.toString(), "run", "--task", "copy", "--arch", "looped", "--steps", "80",
                "--set", "train.warmup=5", "--set", "train.lr=0.003", "--set", "train.batch_size=16",
                "--set", "train.eval_examples=8", "--set", "train.eval_every=1000")).isZero();
        assertThat(out).contains("training looped on copy:", "finished after 80 steps");

        RunStore store = RunStore.at(home.resolve("runs"));
        StoredRun stored = store.open(store.ids().get(0));
        assertThat(stored.config().architecture().id()).isEqualTo("looped");
        List<ProgressLog.Step> steps = stored.progress().steps();
        assertThat(steps).hasSizeGreaterThan(2);
        assertThat(steps.get(steps.size() - 1).loss()).as("the loss after 80 steps, against the first")
                .isLessThan(0.8 * steps.get(0).loss());
    }

    @Test
    void benchTrainPrintsAPyTorchFigureAndRatioForMor() throws Exception {
        installTorchBenchmarkOrSkip();
        assertThat(run("--home", home.toString(), "bench", "train", "--arch", "mor,sliced", "--width", "16",
                "--steps", "1")).isZero();
        assertThat(err).isEmpty();
        assertThat(out).containsPattern("(?m)^mor +16 +[0-9,]+ +[0-9,]+ +1 +[0-9.]+x$")
                .containsPattern("(?m)^sliced +16 +[0-9,]+ +- +- +-$");
    }

    @Test
    void benchTrainWithTwoThreadsRunsPyTorchAtOneAndTwoAndComparesWithItsFastest() throws Exception {
        installTorchBenchmarkOrSkip();
        assertThat(run("--home", home.toString(), "bench", "train", "--arch", "vanilla", "--width", "16",
                "--steps", "1", "--warmup", "0", "--threads", "2")).as(err).isZero();
        assertThat(out).contains("Recursa: 2 data-parallel worker(s) of 1 kernel thread(s); PyTorch: 1 to 2 threads, "
                + "the fastest counts")
                .containsPattern("(?m)^vanilla d=16: [0-9,]+ tok/s, PyTorch [0-9,]+ tok/s at 1, [0-9,]+ tok/s at 2$")
                .containsPattern("(?m)^vanilla +16 +[0-9,]+ +[0-9,]+ +[12] +[0-9.]+x$");
    }

    @Test
    void benchTrainRefusesANonPositiveStepCount() {
        assertThat(run("--home", home.toString(), "bench", "train", "--steps", "0")).isEqualTo(2);
        assertThat(err).contains("--steps, --repeat, --threads and --torch-threads must be at least 1 and --warmup "
                + "at least 0, got --steps 0 --repeat 1 --threads 1 --torch-threads null --warmup 10");
        assertThat(out).isEmpty();
        assertThat(run("--home", home.toString(), "bench", "train", "--repeat", "0")).isEqualTo(2);
        assertThat(err).contains("got --steps 20 --repeat 0 --threads 1");
        assertThat(run("--home", home.toString(), "bench", "train", "--threads", "0")).isEqualTo(2);
        assertThat(err).contains("got --steps 20 --repeat 1 --threads 0");
    }

    @Test
    void benchTrainInBf16RunsRecursasBf16ProductsAgainstPyTorchAutocast() throws Exception {
        installTorchBenchmarkOrSkip();
        org.junit.jupiter.api.Assumptions.assumeTrue(org.recursa.engine.host.Bf16Support.missingHere().isEmpty(),
                "this CPU has AVX512-BF16 or AMX");
        assertThat(run("--home", home.toString(), "bench", "train", "--arch", "vanilla", "--width", "16",
                "--steps", "1", "--warmup", "0", "--precision", "bf16")).as(err).isZero();
        assertThat(out).contains("Precision: bf16 layer products (Recursa: oneDNN bf16 matmul; PyTorch: autocast bf16)")
                .containsPattern("(?m)^vanilla +16 +[0-9,]+ +[0-9,]+ +1 +[0-9.]+x$");
    }

    @Test
    void benchTrainRefusesAnUnknownPrecisionInOneLine() {
        assertThat(run("--home", home.toString(), "bench", "train", "--precision", "half")).isEqualTo(2);
        assertThat(err).isEqualTo("recursa: --precision must be one of float32, bf16, got 'half'"
                + System.lineSeparator());
        assertThat(out).isEmpty();
    }

    @Test
    void benchTrainRepeatsBothSidesAndPrintsMediansAndTheRatioRange() throws Exception {
        installTorchBenchmarkOrSkip();
        assertThat(run("--home", home.toString(), "bench", "train", "--arch", "vanilla", "--width", "16",
                "--steps", "1", "--warmup", "1", "--repeat", "3")).isZero();
        assertThat(out).containsPattern("(?m)^vanilla d=16 run 1/3: [0-9,]+ tok/s, PyTorch [0-9,]+ tok/s at 1$")
                .contains("run 3/3").doesNotContain("run 4/3")
                .containsPattern("(?m)^vanilla +16 +[0-9,]+ +[0-9,]+ +1,1,1 +([0-9.]+)x +([0-9.]+)-([0-9.]+)x$");
        java.util.regex.Matcher row = java.util.regex.Pattern
                .compile("(?m)^vanilla +16 +[0-9,]+ +[0-9,]+ +1,1,1 +([0-9.]+)x +([0-9.]+)-([0-9.]+)x$")
                .matcher(out);
        assertThat(row.find()).isTrue();
        double median = Double.parseDouble(row.group(1));
        assertThat(median).isBetween(Double.parseDouble(row.group(2)), Double.parseDouble(row.group(3)));
    }

    /** Skips the test unless python3 imports torch, then puts bench/torch_train.py into the distribution. */
    private void installTorchBenchmarkOrSkip() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "PyTorch side skipped: /usr/bin/python3 cannot import torch");
        Path bench = Files.createDirectories(distribution.resolve("bench"));
        Files.copy(repository().resolve("bench/torch_train.py"), bench.resolve("torch_train.py"));
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bench/torch_train.py"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bench/torch_train.py not found above " + Path.of("").toAbsolutePath());
    }

    private static Path bundles() {
        return Path.of(System.getProperty("recursa.test.bundles"));
    }

    private static Path firstParty(String prefix) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(bundles(), prefix + "-*.jar")) {
            return jars.iterator().next();
        }
    }
}
