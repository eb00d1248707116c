package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.index.bench.SyntheticRuns;
import org.recursa.runstore.RunStore;

/**
 * The search, compare, delete, rebuild and report commands end to end, in process, on real run directories and
 * a real Lucene index under a temporary home.
 */
class SearchCliTest {

    private static final int RUNS = 30;

    @TempDir
    Path home;

    private String out;
    private String err;
    private final List<String> ids = new java.util.ArrayList<>();

    @BeforeEach
    void runs() {
        RunStore store = RunStore.at(home.resolve("runs"));
        for (int i = 0; i < RUNS; i++) {
            ids.add(SyntheticRuns.write(store, i, 4));
        }
    }

    @Test
    void searchFiltersSortsAndFormats() throws IOException {
        assertThat(run("runs", "search", "params.arch = 'mor'", "--order-by", "metrics.seq_acc_ood DESC",
                "--format", "json", "--max", "100")).isZero();
        JsonNode runs = new ObjectMapper().readTree(out);
        assertThat(runs).isNotEmpty();
        double previous = Double.MAX_VALUE;
        for (JsonNode run : runs) {
            assertThat(run.path("arch").asText()).isEqualTo("mor");
            double ood = run.at("/metrics/seq_acc_ood").asDouble();
            assertThat(ood).isLessThanOrEqualTo(previous);
            previous = ood;
        }
        long expected = countArch("mor");
        assertThat(runs.size()).isEqualTo((int) expected);

        assertThat(run("runs", "search", "metrics.seq_acc_test_id > 0.5", "--format", "csv")).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).startsWith("run_id,status,task,arch,start_time,end_time,params.");
        assertThat(run("runs", "search", "", "--max", "3")).isZero();
        assertThat(out.lines().findFirst().orElseThrow()).startsWith("RUN ");
        assertThat(out).contains("3 of " + RUNS + " runs");
    }

    @Test
    void tracesSearchFindsTheFailingExamplesWithTheirRun() throws IOException {
        assertThat(run("traces", "search", "verdict = 'wrong' and carry_chain >= 6 and run.params.arch = 'universal'",
                "--format", "json", "--max", "1000")).isZero();
        JsonNode hits = new ObjectMapper().readTree(out);
        assertThat(hits).isNotEmpty().allSatisfy(h -> {
            assertThat(h.path("verdict").asText()).isEqualTo("wrong");
            assertThat(h.at("/features/carry_chain").asInt()).isGreaterThanOrEqualTo(6);
            assertThat(h.path("arch").asText()).isEqualTo("universal");
        });
    }

    @Test
    void aMalformedFilterIsOneErrorWithACaretAndExitTwo() {
        assertThat(run("runs", "search", "metrics.acc >> 3")).isEqualTo(2);
        List<String> lines = err.lines().toList();
        assertThat(lines.get(0)).isEqualTo("recursa: filter error at column 13: unknown operator '>>'; valid operators: "
                + "=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN");
        assertThat(lines.get(1)).isEqualTo("  metrics.acc >> 3");
        assertThat(lines.get(2)).isEqualTo("              ^");
        assertThat(run("traces", "search", "metrics.x >>> 1")).isEqualTo(2);
        assertThat(err).startsWith("recursa: filter error at column");
        assertThat(run("runs", "search", "", "--format", "xml")).isEqualTo(2);
        assertThat(err).startsWith("recursa: --format: unknown format 'xml'; valid formats: table, json, csv");
    }

    @Test
    void showCompareAndDelete() throws IOException {
        assertThat(run("runs", "show", ids.get(3))).isZero();
        assertThat(out).contains("run       " + ids.get(3), "status    finished", "format    2", "params", "metrics",
                "seq_acc_test_id");
        assertThat(out).as("runs recorded without distinct inputs: '-', and an interval from their accuracy")
                .containsPattern("(?m)^  test-id +256 +- +[01]\\.\\d{4} +[01]\\.\\d{4} +\\[[01]\\.\\d{3}, "
                        + "[01]\\.\\d{3}\\] +- +-$");
        assertThat(run("runs", "compare", ids.get(1), ids.get(2))).isZero();
        assertThat(out).contains("PARAM", "METRIC", "seq_acc_ood");
        assertThat(run("runs", "show", "nope")).isEqualTo(2);
        assertThat(err).startsWith("recursa: unknown run 'nope'; " + RUNS + " runs in ");

        String doomed = ids.get(4);
        assertThat(run("runs", "search", "attributes.run_id = '" + doomed + "'", "--format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(out)).hasSize(1);
        assertThat(runWithInput("n\n", "runs", "delete", doomed)).isZero();
        assertThat(out).contains("not deleted");
        assertThat(home.resolve("runs").resolve(doomed)).isDirectory();
        assertThat(run("runs", "delete", doomed, "--yes")).isZero();
        assertThat(home.resolve("runs").resolve(doomed)).doesNotExist();
        assertThat(run("runs", "search", "attributes.run_id = '" + doomed + "'", "--format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(out)).isEmpty();
    }

    @Test
    void rebuildReportsDamagedRunsAndIndexesTheRest() throws IOException {
        Path bad = home.resolve("runs").resolve(ids.get(7)).resolve("summary.json");
        Files.writeString(bad, "{\"status\": \"fini");
        assertThat(run("index", "rebuild")).isZero();
        assertThat(out).contains("indexed " + (RUNS - 1) + " runs", "skipped 1 damaged");
        assertThat(err).contains("recursa: skipped damaged run " + home.resolve("runs").resolve(ids.get(7))
                + ": summary.json is truncated or not a valid record");
    }

    @Test
    void rebuildProgressAndTotalCountTheSameWay() {
        RunStore store = RunStore.at(home.resolve("runs"));
        for (int i = RUNS; i < 2_100; i++) {
            SyntheticRuns.write(store, i, 0);
        }
        assertThat(run("index", "rebuild")).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("indexed ")).map(l -> l.replaceAll(" \\(.*| in .*", "")))
                .containsExactly("indexed 2,000 of 2,100 runs", "indexed 2,100 runs");
    }

    @Test
    void reportWritesAPageWithCharts() {
        Path report = home.resolve("report");
        assertThat(run("report", ids.get(1), ids.get(2), "--out", report.toString())).isZero();
        assertThat(report.resolve("index.html")).isRegularFile();
        assertThat(report.resolve("charts/learning-loss.png")).isRegularFile();
        assertThat(out).contains("open " + report.resolve("index.html"));
    }

    private long countArch(String arch) throws IOException {
        long count = 0;
        for (int i = 0; i < RUNS; i++) {
            String id = ids.get(i);
            count += RunStore.at(home.resolve("runs")).open(id).config().architecture().id().equals(arch) ? 1 : 0;
        }
        return count;
    }

    private int run(String... args) {
        return runWithInput("", args);
    }

    private int runWithInput(String input, String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 2];
            all[0] = "--home";
            all[1] = home.toString();
            System.arraycopy(args, 0, all, 2, args.length);
            int code = Main.run(all, new PrintWriter(outText, true), new PrintWriter(errText, true));
            out = outText.toString();
            err = errText.toString();
            return code;
        } finally {
            System.setIn(stdin);
        }
    }
}
