package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;

/**
 * {@code recursa sweep --executor spark --master local[2]} end to end, through the real command line: the Spark
 * executor loaded from the module's lib-spark in its own class loader, a real Spark driver and executor in this JVM,
 * every point a Spark task that checks the shipped distribution and plugins and trains a real (tiny) model in a
 * child JVM; the runs come back and are imported once, are found by search and complete {@code sweep show}, and a
 * resume on Spark runs nothing.
 */
class SparkSweepCliTest {

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

    @Test
    void aSweepOnSparkLocalTwoImportsEveryRunOnceAndResumeRunsNothing() throws Exception {
        List<String> args = new ArrayList<>(List.of("--home", home.toString(), "sweep", "--task", "copy", "--grid",
                "arch=vanilla,universal", "--seeds", "1..2", "--executor", "spark", "--master", "local[2]"));
        args.addAll(List.of(SweepCliTest.SMALL));
        TestDistribution.Result sweep = TestDistribution.run(args.toArray(String[]::new));
        assertThat(sweep.code()).as(sweep.out() + sweep.err()).isZero();
        String id = first(sweep.out(), "created sweep (\\S+);");
        assertThat(sweep.out()).contains("running on Spark 4.", "on local[2,4]", "2 task slots now",
                "sweep " + id + ": 4 of 4 points done");

        RunStore store = RunStore.at(home.resolve("runs"));
        assertThat(store.ids()).hasSize(4);
        List<String> points = new ArrayList<>();
        for (String run : store.ids()) {
            StoredRun stored = store.open(run);
            assertThat(stored.state().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(stored.config().tags()).containsEntry("sweep", id);
            points.add(stored.config().tags().get("sweep.point"));
            assertThat(stored.end().orElseThrow().splits()).containsKey("test-id");
        }
        assertThat(points).containsExactlyInAnyOrder("p001", "p002", "p003", "p004");

        TestDistribution.Result search = TestDistribution.run("--home", home.toString(), "runs", "search",
                "tags.sweep = '" + id + "'");
        assertThat(search.code()).as(search.err()).isZero();
        for (String run : store.ids()) {
            assertThat(search.out()).contains(run);
        }
        TestDistribution.Result show = TestDistribution.run("--home", home.toString(), "sweep", "show", id);
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("points: 4 done, 0 running, 0 pending, 0 failed (of 4)");

        TestDistribution.Result resume = TestDistribution.run("--home", home.toString(), "sweep", "resume", id,
                "--executor", "spark", "--master", "local[2]");
        assertThat(resume.code()).as(resume.out() + resume.err()).isZero();
        assertThat(resume.out()).contains("4 done, 0 being run by another process, 0 to run");
        assertThat(store.ids()).hasSize(4);
        assertThat(Files.readString(home.resolve("sweeps").resolve(id).resolve("logs").resolve("p001.log")))
                .contains("Spark task on local[2,4]", " imported");
    }

    @Test
    void sparkOptionsThatDoNotGoTogetherAreUsageErrorsAndAMissingLibSparkIsOneLine() {
        String[][] cases = {
            {"sweep", "--task", "copy", "--arch", "vanilla", "--executor", "spark"},
            {"sweep", "--task", "copy", "--arch", "vanilla", "--master", "local[2]"},
            {"sweep", "--task", "copy", "--arch", "vanilla", "--executor", "yarn", "--master", "local[2]"},
            {"sweep", "resume", "x", "--runs-uri", "file:///tmp/runs"},
        };
        for (String[] args : cases) {
            List<String> all = new ArrayList<>(List.of("--home", home.toString()));
            all.addAll(List.of(args));
            TestDistribution.Result result = TestDistribution.run(all.toArray(String[]::new));
            assertThat(result.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err().lines().findFirst().orElseThrow()).startsWith("recursa: ");
        }
        String saved = System.getProperty(SparkLoader.LIB_PROPERTY);
        System.setProperty(SparkLoader.LIB_PROPERTY, home.resolve("no-lib-spark").toString());
        try {
            TestDistribution.Result missing = TestDistribution.run("--home", home.toString(), "sweep", "--task",
                    "copy", "--arch", "vanilla", "--set", "train.steps=5", "--executor", "spark", "--master",
                    "local[2]");
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.err().lines()).containsExactly("recursa: --executor spark needs Spark's jars in "
                    + home.resolve("no-lib-spark") + ", which does not exist; install a full Recursa distribution "
                    + "(built by 'mvn -pl platform/cli -am package', it has lib/spark/), or use --executor local");
        } finally {
            System.setProperty(SparkLoader.LIB_PROPERTY, saved);
        }
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no '" + regex + "' in:\n" + text);
        }
        return m.group(1);
    }
}
