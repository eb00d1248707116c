package org.recursa.spark;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.sweep.PointCommand;
import org.recursa.sweep.PointLock;
import org.recursa.sweep.Sweep;
import org.recursa.sweep.SweepException;
import org.recursa.sweep.SweepExecutor;
import org.recursa.sweep.SweepPoint;
import org.recursa.sweep.SweepState;

/**
 * Runs sweep points on Spark: each point is one Spark job of one task ({@link PointTask}), which runs the point in a
 * child process on an executor from the distribution and plugins shipped there, and returns the finished run
 * directory, which is imported into this (the driver's) run store. Spark retries a failed task up to
 * {@code spark.task.maxFailures} times (in local mode too: {@code local[N]} becomes {@code local[N,F]}); a point
 * whose task Spark gave up on exits 1 with the executor's error. While a point's job runs, the driver holds the
 * point's lock ({@link PointLock}), and a point that has a finished run when its result comes back is not imported
 * again: every point is imported exactly once.
 *
 * <p>Created by the CLI through {@link #open} in a class loader of its own ({@code lib/spark/}); it shares only the
 * sweep and run store types with the CLI.
 */
public final class SparkSweepExecutor implements SweepExecutor {

    /** {@code spark.task.maxFailures} unless given: a task is tried this many times. */
    public static final int DEFAULT_MAX_FAILURES = 4;
    /** The largest run directory imported (a zip returned to the driver is also bounded by Spark's result size). */
    static final long MAX_RUN_BYTES = 16L << 30;
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)])?");

    private final JavaSparkContext spark;
    private final RunStore store;
    private final Shipment shipment;
    private final List<String> jvmOptions;
    private final String mainClass;
    private final long runBytes;
    private final String runsUri;
    private final Integer parallel;
    private final String description;
    private final ExecutorService waiters;
    private final AtomicLong jobs = new AtomicLong();
    private final Set<JavaFutureAction<?>> live = ConcurrentHashMap.newKeySet();

    private SparkSweepExecutor(JavaSparkContext spark, RunStore store, Shipment shipment, Map<String, String> options,
                               String description) {
        this.spark = spark;
        this.store = store;
        this.shipment = shipment;
        String jvm = options.getOrDefault("jvm-options", "");
        this.jvmOptions = jvm.isBlank() ? List.of() : Arrays.asList(jvm.split("\n"));
        this.mainClass = options.getOrDefault("main-class", PointTask.MAIN);
        this.runBytes = Long.parseLong(options.getOrDefault("run-bytes", "400000000"));
        this.runsUri = options.get("runs-uri");
        this.parallel = options.containsKey("parallel") ? Integer.valueOf(options.get("parallel")) : null;
        this.description = description;
        ClassLoader loader = SparkSweepExecutor.class.getClassLoader();
        this.waiters = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "recursa-spark-point");
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        });
    }

    /**
     * Starts a Spark driver and ships the distribution and plugins.
     *
     * @param options {@code master} (required: {@code local[N]}, {@code spark://host:port}, {@code k8s://...});
     *                {@code class-path} (the launcher's class path, entries separated by the path separator);
     *                {@code plugins} (the home's {@code plugins/}); {@code run-bytes} (the per-run memory estimate:
     *                each child's heap, and the executors' memory overhead per task); optional {@code runs-uri},
     *                {@code parallel}, {@code max-failures}, {@code jvm-options} (one per line, for the children),
     *                {@code main-class} (only for tests)
     * @param store   the run store the finished runs are imported into
     * @throws SweepException when the driver cannot start or the files cannot be staged
     */
    public static SweepExecutor open(Map<String, String> options, RunStore store) {
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkSweepExecutor.class.getClassLoader());
        Path staging = null;
        try {
            int maxFailures = Integer.parseInt(options.getOrDefault("max-failures", "" + DEFAULT_MAX_FAILURES));
            String master = master(options.get("master"), maxFailures);
            long runBytes = Long.parseLong(options.getOrDefault("run-bytes", "400000000"));
            SparkConf conf = new SparkConf().setMaster(master).setAppName("recursa sweep")
                    .set("spark.task.maxFailures", Integer.toString(maxFailures))
                    .set("spark.task.cpus", "1")
                    .setIfMissing("spark.ui.enabled", "false");
            // The children live outside the executor's heap: declare them as overhead, per task it may run at once.
            int tasksPerExecutor = Integer.parseInt(conf.get("spark.executor.cores", "1"));
            conf.setIfMissing("spark.executor.memoryOverhead", (runBytes * tasksPerExecutor >> 20) + "m");
            if (master.startsWith("local")) {
                conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress",
                        "127.0.0.1");
            }
            staging = Files.createTempDirectory("recursa-spark-ship-");
            List<Path> classPath = Arrays.stream(options.getOrDefault("class-path", "").split(File.pathSeparator))
                    .filter(s -> !s.isBlank()).map(Path::of).toList();
            Shipment shipment = Shipment.prepare(classPath, Path.of(options.get("plugins")), staging);
            JavaSparkContext spark = new JavaSparkContext(conf);
            try {
                ownJar().ifPresent(jar -> spark.addJar(jar.toString()));
                for (ShippedFile file : shipment.files()) {
                    spark.addFile(shipment.path(file).toString());
                }
            } catch (RuntimeException e) {
                spark.stop();
                throw e;
            }
            String description = String.format(Locale.ROOT, "Spark %s on %s, %d files shipped (%.0f MB), "
                            + "%d tries per point, about %.1f GB per run", spark.version(), master,
                    shipment.files().size(), shipment.bytes() / 1e6, maxFailures, runBytes / 1e9);
            return new SparkSweepExecutor(spark, store, shipment, options, description);
        } catch (IOException | RuntimeException e) {
            if (staging != null) {
                deleteTree(staging);
            }
            throw new SweepException("cannot start Spark for the sweep: " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    /**
     * The master URL Spark gets: {@code local} and {@code local[N]} with the retries ({@code local[N,F]}), as local
     * mode tries a task once otherwise; any other URL as given.
     */
    static String master(String given, int maxFailures) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("no master URL given");
        }
        Matcher local = LOCAL.matcher(given);
        if (local.matches()) {
            return "local[" + (local.group(1) == null ? "1" : local.group(1)) + "," + maxFailures + "]";
        }
        return given;
    }

    /** The jar this class came from, which the executors need; none when running from a build's classes. */
    private static Optional<Path> ownJar() {
        try {
            Path source = Path.of(SparkSweepExecutor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return source.toString().endsWith(".jar") ? Optional.of(source) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The task slots: {@code --parallel}, else Spark's default parallelism (for a cluster, its registered cores). */
    @Override
    public int slots() {
        return parallel != null ? parallel : Math.max(1, spark.defaultParallelism());
    }

    @Override
    public Handle submit(Sweep sweep, SweepPoint point) {
        Optional<PointLock> lock = PointLock.tryHold(sweep, point.key());
        if (lock.isEmpty()) {
            return handle(point, CompletableFuture.completedFuture(new PointExit(PointCommand.BUSY, "")), null);
        }
        try {
            Optional<String> finished = finishedRun(sweep, point);
            if (finished.isPresent()) {
                lock.get().close();
                return handle(point, CompletableFuture.completedFuture(new PointExit(0, "already finished: run "
                        + finished.get())), null);
            }
            PointSpec spec = new PointSpec(sweep.id(), point.key(), PointCommand.runArguments(sweep.plan(), point),
                    shipment.files(), jvmOptions, mainClass, runBytes, runsUri);
            log(sweep, point, "--- " + Instant.now() + " " + point.describe() + ": Spark task on " + spark.master());
            JavaFutureAction<List<PointResult>> job = start(spec, point);
            live.add(job);
            CompletableFuture<PointExit> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return finish(sweep, point, job);
                } finally {
                    live.remove(job);
                    lock.get().close();
                }
            }, waiters);
            return handle(point, exit, job);
        } catch (RuntimeException e) {
            lock.get().close();
            throw new SweepException("cannot start point " + point.key() + " of sweep " + sweep.id() + " on Spark: "
                    + e.getMessage(), e);
        }
    }

    private synchronized JavaFutureAction<List<PointResult>> start(PointSpec spec, SweepPoint point) {
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkSweepExecutor.class.getClassLoader());
        try {
            // interruptOnCancel: cancelling the job interrupts the task's thread, which kills the child
            spark.setJobGroup("recursa-" + spec.sweep() + "-" + spec.point() + "-" + jobs.incrementAndGet(),
                    "recursa sweep " + spec.sweep() + " " + point.describe(), true);
            return spark.parallelize(List.of(spec), 1).map(new PointTask()).collectAsync();
        } finally {
            spark.clearJobGroup();
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    /** Waits for the job, imports the run it returned (once per point), and says how the point ended. */
    private PointExit finish(Sweep sweep, SweepPoint point, JavaFutureAction<List<PointResult>> job) {
        PointResult result;
        try {
            result = job.get().get(0);
        } catch (CancellationException e) {
            log(sweep, point, "cancelled");
            return new PointExit(130, "cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PointExit(130, "interrupted");
        } catch (ExecutionException e) {
            String why = reason(e.getCause() == null ? e : e.getCause());
            log(sweep, point, "Spark gave up: " + why);
            return new PointExit(1, why);
        }
        log(sweep, point, result.output());
        try {
            Optional<String> finished = finishedRun(sweep, point);
            if (finished.isPresent()) {
                log(sweep, point, "run " + result.runId() + " not imported: the point has finished run "
                        + finished.get());
                return new PointExit(0, "already finished: run " + finished.get());
            }
            RunStore.Imported imported;
            try (InputStream zip = result.zip() != null ? new ByteArrayInputStream(result.zip()) : open(result.uri())) {
                imported = store.importRun(zip, MAX_RUN_BYTES);
            }
            log(sweep, point, "run " + imported.id() + (imported.imported() ? " imported" : " was imported already")
                    + (result.uri() != null ? " from " + result.uri() : ""));
            return new PointExit(0, "run " + imported.id());
        } catch (IOException | RuntimeException e) {
            log(sweep, point, "import failed: " + e.getMessage());
            return new PointExit(1, "the run came back but cannot be imported: " + e.getMessage());
        }
    }

    private static InputStream open(String uri) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = path.getFileSystem(new Configuration());
        return fs.open(path);
    }

    private Optional<String> finishedRun(Sweep sweep, SweepPoint point) {
        return SweepState.runs(store, sweep.plan().created()).getOrDefault(sweep.id(), Map.of())
                .getOrDefault(point.key(), List.of()).stream().filter(r -> r.status() == RunStatus.FINISHED)
                .map(SweepState.RunRef::id).findFirst();
    }

    /**
     * Spark's reason, shortened: its first line, which names the attempts and ends with the task's exception, e.g.
     * {@code Task 0 in stage 3.0 failed 4 times, most recent failure: ...: point p001 ...: recursa run exited ...}.
     */
    static String reason(Throwable failure) {
        String message = Optional.ofNullable(failure.getMessage()).orElse(failure.toString());
        String first = message.lines().findFirst().orElse("").replaceFirst("^Job aborted due to stage failure: ", "");
        Matcher ours = Pattern.compile("(point \\S+ of sweep .*)$").matcher(first);
        String attempts = first.replaceFirst(", most recent failure:.*", "").replaceFirst("^Task \\S+ in stage \\S+ ",
                "the task ");
        String text = ours.find() ? attempts + "; last: " + ours.group(1) : first;
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private static void log(Sweep sweep, SweepPoint point, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        Path log = sweep.log(point.key());
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log + ": " + e.getMessage(), e);
        }
    }

    private static Handle handle(SweepPoint point, CompletableFuture<PointExit> exit, JavaFutureAction<?> job) {
        return Handle.of(point, exit, () -> {
            if (job != null) {
                job.cancel(true);
            }
        });
    }

    /** Cancels every job (their tasks kill their children; nothing reaches the store), then stops the driver. */
    @Override
    public void close() {
        live.forEach(job -> job.cancel(true));
        waiters.shutdown();
        try {
            waiters.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spark.stop();
        deleteTree(shipment.staging());
    }

    @Override
    public String toString() {
        return description;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory left behind
        }
    }
}
