package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;

/**
 * A sweep on a real standalone Spark cluster: a master and a worker started from Spark's own classes (the
 * distribution's {@code lib/spark} as their {@code SPARK_HOME/jars}) as separate processes on the loopback address,
 * and the distribution's {@code bin/recursa} as the driver. While points run on the worker's executors, the worker is
 * killed with SIGKILL and a new one started; the lost tasks are run again on the new worker, and every one of the 4
 * points ends with exactly one finished run, searchable by its sweep tag.
 */
class SparkClusterIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration SWEEP = Duration.ofMinutes(8);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int masterPort;
    private int masterUi;

    @AfterEach
    void stopOnlyWhatThisTestStarted() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void aSweepSurvivesItsWorkerKilledMidSweepAndRunsEveryPointExactlyOnce() throws Exception {
        Path distribution = Path.of(System.getProperty("recursa.distribution"));
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createSymbolicLink(sparkHome.resolve("jars"), distribution.resolve("lib/spark").toAbsolutePath());
        masterPort = freePort();
        masterUi = freePort();
        start("master", sparkHome, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi));
        await("the master's web UI", state -> state != null);
        Process worker = startWorker(sparkHome, "worker-1");
        await("one live worker", state -> state != null && state.path("aliveworkers").asInt() == 1);

        Path home = dir.resolve("home");
        ProcessBuilder builder = new ProcessBuilder(distribution.resolve("bin/recursa").toString(), "--home",
                home.toString(), "sweep", "--task", "copy", "--grid", "arch=vanilla,universal", "--seeds", "1..2",
                "--id", "cluster", "--executor", "spark", "--master", "spark://127.0.0.1:" + masterPort)
                .redirectErrorStream(true);
        builder.command().addAll(Arrays.asList(SweepCliTest.SMALL));
        builder.environment().put("RECURSA_JAVA_OPTS", "-Dspark.driver.host=127.0.0.1 -Dspark.executor.memory=1g");
        builder.environment().put("RECURSA_HOME", home.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process sweep = builder.start();
        started.add(sweep);

        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sweep.getInputStream(),
                StandardCharsets.UTF_8))) {
            awaitRunningAfterADone(out, seen); // a point is finished and another one is on the worker now
            // SIGKILL to the worker and its executors (with the runs they started), as when a machine is lost:
            // no clean shutdown, no goodbye to the master or the driver.
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            seen.append("--- worker killed\n");
            startWorker(sparkHome, "worker-2");
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
            }
        }
        System.out.println("SparkClusterIT: the sweep printed\n" + seen);
        assertThat(sweep.waitFor(SWEEP.toSeconds(), TimeUnit.SECONDS)).as(seen.toString()).isTrue();
        assertThat(sweep.exitValue()).as(seen.toString()).isZero();
        assertThat(seen).contains("sweep cluster: 4 of 4 points done");
        try (var apps = Files.list(dir.resolve("worker-2"))) {
            assertThat(apps.filter(p -> p.getFileName().toString().startsWith("app-")))
                    .as("the lost tasks ran again on the new worker").isNotEmpty();
        }

        RunStore store = RunStore.at(home.resolve("runs"));
        Map<String, List<StoredRun>> byPoint = new LinkedHashMap<>();
        for (String id : store.ids()) {
            StoredRun run = store.open(id);
            byPoint.computeIfAbsent(run.config().tags().get("sweep.point"), p -> new ArrayList<>()).add(run);
        }
        assertThat(byPoint).as("runs per point: %s\n%s", byPoint, seen)
                .containsOnlyKeys("p001", "p002", "p003", "p004");
        byPoint.forEach((point, runs) -> {
            assertThat(runs).as("%s is run exactly once", point).hasSize(1);
            assertThat(runs.get(0).state().status()).as(point).isEqualTo(RunStatus.FINISHED);
        });

        Process search = new ProcessBuilder(distribution.resolve("bin/recursa").toString(), "--home",
                home.toString(), "runs", "search", "tags.sweep = 'cluster'").redirectErrorStream(true).start();
        String found = new String(search.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(search.waitFor()).as(found).isZero();
        for (String id : store.ids()) {
            assertThat(found).contains(id);
        }
    }

    private Process startWorker(Path sparkHome, String name) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name));
        return start(name, sparkHome, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2",
                "--memory", "3g", "--webui-port", "0", "--work-dir", work.toString(),
                "spark://127.0.0.1:" + masterPort);
    }

    /** A Spark daemon in its own JVM, from the jars of {@code sparkHome}, logging to {@code <dir>/<name>.log}. */
    private Process start(String name, Path sparkHome, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(Arrays.asList(System.getProperty("recursa.spark.jvm.options").trim().split("\\s+")));
        command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        // Spark's launcher finds the Scala version from a source tree's build directories unless told.
        builder.environment().put("SPARK_SCALA_VERSION", System.getProperty("recursa.spark.scala.binary"));
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Polls the master's JSON status until {@code ready} holds. */
    private void await(String what, Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = masterState();
            if (ready.test(state)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no " + what + " within " + STARTUP.toSeconds() + " s; master log:\n"
                + Files.readString(dir.resolve("master.log")));
    }

    private JsonNode masterState() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + masterUi + "/json/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()) : null;
        } catch (IOException e) {
            return null; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Reads the sweep's lines until at least one point is done and another has started and is not done: whatever
     * order the points finish in (two may end together), the worker is then running a point.
     */
    private static void awaitRunningAfterADone(BufferedReader out, StringBuilder seen) throws IOException {
        Pattern progress = Pattern.compile("^\\[\\d+/\\d+] (start|done) +(p\\d+) ");
        Set<String> running = new HashSet<>();
        int done = 0;
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = progress.matcher(line);
            if (m.find()) {
                if (m.group(1).equals("start")) {
                    running.add(m.group(2));
                } else {
                    running.remove(m.group(2));
                    done++;
                }
            }
            if (done >= 1 && !running.isEmpty()) {
                return;
            }
        }
        throw new AssertionError("the sweep ended before a point ran after another was done; it printed:\n" + seen);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
