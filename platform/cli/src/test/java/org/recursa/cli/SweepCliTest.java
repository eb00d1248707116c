package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;

/**
 * {@code recursa sweep} end to end: the sweep runs in this JVM, every point in a real child JVM training a real
 * (tiny) model through the real host and plugins; then {@code sweep show}'s numbers are checked against statistics
 * computed here from the runs' final records, and {@code report --sweep} and search find the runs.
 */
class SweepCliTest {

    @TempDir
    Path home;

    @TempDir
    Path distribution;

    @BeforeEach
    void distribution() throws Exception {
        TestDistribution.install(distribution);
    }

    @AfterEach
    void clear() {
        TestDistribution.uninstall();
    }

    static final String[] SMALL = {"--set", "train.steps=5", "--set", "arch.d_model=16", "--set", "arch.heads=2",
        "--set", "train.eval_examples=8", "--set", "train.batch_size=8", "--set", "train.eval_every=5"};

    @Test
    void helpListsTheSubcommandsAndPicocliFormatsEveryDescription() throws Exception {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream tracer = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(tracer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            TestDistribution.Result help = TestDistribution.run("sweep", "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("--grid=KEY=V1,V2,...", "--random=KEY=DISTRIBUTION", "resume", "show",
                    "list", "95% t-interval").doesNotContain("run-point");
            assertThat(TestDistribution.run("report", "--help").out()).contains("--sweep=ID", "95% interval");
        } finally {
            System.setErr(saved);
        }
        assertThat(tracer.toString(java.nio.charset.StandardCharsets.UTF_8)).as("picocli's warnings").isEmpty();
    }

    @Test
    void whatIsTypedWrongExitsTwoWithOneLineAndStartsNothing() {
        String[][] cases = {
            {"sweep", "--task", "copy", "--grid", "arch"},
            {"sweep", "--task", "copy", "--grid", "arch=vanilla", "--seeds", "3..1"},
            {"sweep", "--task", "copy", "--arch", "vanilla", "--random", "train.lr=loguniform:1e-4:1e-2"},
            {"sweep", "--task", "copy", "--arch", "vanilla", "--random", "train.lr=normal:0:1", "--trials", "2"},
            {"sweep", "--grid", "arch=vanilla", "--task", "nonexistent"},
            {"sweep", "--seeds", "1..2"},
            {"sweep", "--task", "copy", "--arch", "vanilla", "--parallel", "0"},
            {"sweep", "--task", "copy", "--arch", "vanilla", "--mode", "bogus"},
            {"sweep", "--task", "copy", "--arch", "vanilla", "--id", "../up"},
            {"sweep", "show", "nope"},
            {"sweep", "resume", "nope"},
            {"report", "--sweep", "nope"},
            {"report"},
        };
        for (String[] args : cases) {
            TestDistribution.Result result = TestDistribution.run(withHome(args));
            assertThat(result.code()).as(String.join(" ", args) + ": " + result.err()).isEqualTo(2);
            assertThat(result.err().lines().findFirst().orElseThrow()).as(String.join(" ", args))
                    .startsWith("recursa: ");
            assertThat(result.err()).as(String.join(" ", args)).doesNotContain("Exception", "\tat ");
        }
        assertThat(TestDistribution.run(withHome("sweep", "--task", "copy", "--grid", "arch")).err().lines())
                .containsExactly("recursa: --grid 'arch': expected KEY=VALUE,VALUE,... as in --grid "
                        + "arch=vanilla,universal");
        assertThat(TestDistribution.run(withHome("sweep", "show", "nope")).err().lines())
                .containsExactly("recursa: unknown sweep 'nope'; there are no sweeps in " + home.resolve("sweeps"));

        // checked through the routing and schemas of 'recursa run', configuration by configuration
        TestDistribution.Result arch = TestDistribution.run(withHome("sweep", "--task", "copy", "--grid",
                "arch=vanilla,lstm"));
        assertThat(arch.code()).isEqualTo(2);
        assertThat(arch.err().lines()).containsExactly("recursa: configuration 'arch=lstm': unknown architecture "
                + "'lstm'; installed architectures: loopformer, mor, recurrent-depth, relaxed, sliced, "
                + "universal, vanilla");
        TestDistribution.Result key = TestDistribution.run(withHome("sweep", "--task", "copy", "--arch", "vanilla",
                "--grid", "arch.widht=16,32"));
        assertThat(key.code()).isEqualTo(2);
        assertThat(key.err().lines()).singleElement().asString().startsWith("recursa: configuration "
                + "'arch.widht=16': unknown setting 'arch.widht'; arch settings: ");
        TestDistribution.Result heads = TestDistribution.run(withHome("sweep", "--task", "copy", "--arch", "vanilla",
                "--set", "arch.d_model=16", "--grid", "arch.heads=2,3"));
        assertThat(heads.code()).isEqualTo(2);
        assertThat(heads.err().lines()).containsExactly("recursa: configuration 'arch.heads=3': arch vanilla: "
                + "setting 'heads' (3) must divide 'd_model' (16)");
        // a depth knob asked of a fixed-depth configuration is refused before any run starts
        TestDistribution.Result knob = TestDistribution.run(withHome("sweep", "--task", "copy", "--grid",
                "arch=universal,vanilla", "--set", "eval.recursions=2,4"));
        assertThat(knob.code()).isEqualTo(2);
        assertThat(knob.err().lines()).containsExactly("recursa: configuration 'arch=vanilla': eval.recursions needs "
                + "an architecture whose depth is a knob (universal, relaxed, mor, recurrent-depth, loopformer); "
                + "'vanilla' has a fixed depth");
        // the datasets are drawn as each run would draw them: a split with no input left outside training is found
        // before any run starts (copy over 2 symbols, lengths 1..2: six inputs in all)
        TestDistribution.Result space = TestDistribution.run(withHome("sweep", "--task", "copy", "--arch", "vanilla",
                "--set", "task.symbols=2", "--set", "task.min_length=1", "--set", "task.max_length=2", "--set",
                "task.ood_length=4", "--grid", "train.examples=4,500"));
        assertThat(space.code()).as(space.err()).isEqualTo(2);
        assertThat(space.err().lines()).containsExactly("recursa: configuration 'train.examples=500': split 'test-id' "
                + "cannot be drawn outside the training set: all 6 inputs of its space are training inputs "
                + "(train.examples=500); widen the task's settings or lower train.examples");
        assertThat(home.resolve("sweeps")).as("nothing is planned before every configuration checks").doesNotExist();
        assertThat(home.resolve("runs")).doesNotExist();
    }

    @Test
    void aSweepRunsEveryPointInAChildProcessAndShowAggregatesAcrossSeeds() throws Exception {
        List<String> args = new ArrayList<>(List.of("sweep", "--task", "copy", "--grid", "arch=vanilla,universal",
                "--seeds", "1..2", "--parallel", "2"));
        args.addAll(List.of(SMALL));
        TestDistribution.Result sweep = TestDistribution.run(withHome(args.toArray(String[]::new)));
        assertThat(sweep.code()).as(sweep.out() + sweep.err()).isZero();
        String id = first(sweep.out(), "created sweep (\\S+);");
        assertThat(sweep.out()).contains("running 2 at a time (--parallel)", "[0/4] start  p001 arch=vanilla seed=1",
                "[4/4] done   ", "sweep " + id + ": 4 of 4 points done (");
        assertThat(sweep.out()).containsPattern("\\[1/4\\] done   p00[12] arch=\\w+ seed=1: run \\S+ in [0-9.]+ s, "
                + "test-id seq acc [0-9.]+; ETA ");

        RunStore store = RunStore.at(home.resolve("runs"));
        assertThat(store.ids()).hasSize(4);
        Map<String, List<StoredRun>> byConfig = new LinkedHashMap<>();
        for (String run : store.ids()) {
            StoredRun stored = store.open(run);
            assertThat(stored.end().orElseThrow().status()).isEqualTo("finished");
            assertThat(stored.config().tags()).containsEntry("sweep", id).containsKeys("sweep.point", "sweep.arch");
            assertThat(stored.config().train()).containsEntry("steps", 5);
            assertThat(stored.config().provenance().engine().kernelThreads()).isEqualTo(1);
            assertThat(Files.readString(stored.dir().resolve("owner.json"))).as("trained in a child process")
                    .doesNotContainPattern("\"pid\" : " + ProcessHandle.current().pid() + "\\b");
            byConfig.computeIfAbsent(stored.config().tags().get("sweep.config"), c -> new ArrayList<>()).add(stored);
        }
        assertThat(byConfig).containsOnlyKeys("arch=vanilla", "arch=universal");
        assertThat(byConfig.get("arch=universal")).extracting(r -> r.config().seed()).containsExactlyInAnyOrder(1L, 2L);

        TestDistribution.Result show = TestDistribution.run(withHome("sweep", "show", id));
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("sweep " + id + ": task copy, mode io, sampler greedy, created ",
                "swept:  arch=vanilla,universal; seeds 1,2", "points: 4 done, 0 running, 0 pending, 0 failed (of 4)");
        Map<String, Map<String, double[]>> printed = table(show.out());
        assertThat(printed).containsOnlyKeys("arch=vanilla", "arch=universal");
        for (Map.Entry<String, List<StoredRun>> config : byConfig.entrySet()) {
            assertThat(printed.get(config.getKey())).containsOnlyKeys("test-id", "test-ood-length");
            for (String split : List.of("test-id", "test-ood-length")) {
                List<FinalRecord.SplitResult> seeds = config.getValue().stream().map(r -> split(r, split)).toList();
                int[] distinct = seeds.stream().mapToInt(FinalRecord.SplitResult::distinctInputs).sorted().toArray();
                double[] expected = concat(new double[] {distinct[0], distinct[1]},
                        stats(seeds.stream().mapToDouble(FinalRecord.SplitResult::seqAcc).toArray()),
                        stats(seeds.stream().mapToDouble(FinalRecord.SplitResult::seqAccDistinct).toArray()),
                        stats(seeds.stream().mapToDouble(FinalRecord.SplitResult::tokenAcc).toArray()));
                assertThat(printed.get(config.getKey()).get(split)).as("%s %s: fewest and most distinct inputs, then "
                        + "seq acc mean, sd, 95%% interval, per input's and token acc's; sweep show printed:%n%s",
                        config.getKey(), split, show.out())
                        .containsExactly(expected, within(6e-5));
            }
        }
        assertThat(show.out()).containsPattern("(?m)^arch=vanilla +2/2 +test-id ");

        TestDistribution.Result list = TestDistribution.run(withHome("sweep", "list"));
        assertThat(list.out()).containsPattern("(?m)^" + Pattern.quote(id) + " +copy +\\S+ +4 +4 +0 +0 +0$");

        Path report = home.resolve("report");
        TestDistribution.Result drawn = TestDistribution.run(withHome("report", "--sweep", id, "--out",
                report.toString()));
        assertThat(drawn.code()).as(drawn.err()).isZero();
        String svg = Files.readString(report.resolve("charts/sweep-test-id.svg"));
        assertThat(Pattern.compile("<line style=\"[^\"]*stroke:rgb\\(17,17,17\\)").matcher(svg).results().count())
                .as("an error bar (a line and two caps) per bar: 2 configurations x 2 metrics").isEqualTo(12);
        assertThat(report.resolve("index.html")).content().contains("Recursa sweep " + id);

        TestDistribution.Result search = TestDistribution.run(withHome("runs", "search", "tags.sweep = '" + id
                + "' and tags.sweep.arch = 'universal'", "--format", "csv"));
        assertThat(search.code()).as(search.err()).isZero();
        assertThat(search.out().lines()).as("header and the two universal runs").hasSize(3);
    }

    private static FinalRecord.SplitResult split(StoredRun run, String split) {
        return run.end().orElseThrow().splits().get(split);
    }

    /** Mean, sd and the 95% interval's ends of two seeds, computed here: t(0.975, 1) = 12.7062. */
    private static double[] stats(double[] values) {
        assertThat(values).hasSize(2);
        double mean = (values[0] + values[1]) / 2;
        double sd = Math.abs(values[0] - values[1]) / Math.sqrt(2);
        double half = 12.706204736 * sd / Math.sqrt(2);
        return new double[] {mean, sd, mean - half, mean + half};
    }

    private static double[] concat(double[]... parts) {
        return Arrays.stream(parts).flatMapToDouble(Arrays::stream).toArray();
    }

    /**
     * The numbers of sweep show's table: configuration, then split, then the fewest and most distinct inputs (one
     * number when they agree), then seq acc mean, sd, interval low and high, then per input's and token acc's. A row that starts with spaces continues the configuration above it.
     */
    private static Map<String, Map<String, double[]>> table(String out) {
        Map<String, Map<String, double[]>> table = new LinkedHashMap<>();
        List<String> lines = out.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("CONFIGURATION")).findFirst()
                .orElseThrow());
        String config = null;
        for (String line : lines.subList(header + 1, lines.size())) {
            if (line.isBlank()) {
                break;
            }
            String[] cells = line.trim().replaceAll("[\\[\\],]", " ").trim().split(" +");
            int at = 0;
            if (!line.startsWith(" ")) {
                config = cells[0];
                at = 2; // configuration, seeds
            }
            String split = cells[at];
            String[] distinct = cells[at + 1].split("\\.\\.");
            double[] numbers = new double[14];
            numbers[0] = Double.parseDouble(distinct[0]);
            numbers[1] = Double.parseDouble(distinct[distinct.length - 1]);
            for (int i = 0; i < 12; i++) {
                numbers[2 + i] = Double.parseDouble(cells[at + 2 + i]);
            }
            table.computeIfAbsent(config, c -> new LinkedHashMap<>()).put(split, numbers);
        }
        return table;
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no '" + regex + "' in:\n" + text);
        }
        return m.group(1);
    }

    private String[] withHome(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
