package org.recursa.spark;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * One sweep point on a Spark executor. Every shipped file is checked against the SHA-256 the driver computed before
 * anything runs; then a scratch home gets the shipped plugin bundles and their journal, and a child JVM runs
 * {@code java -cp <shipped lib> org.recursa.cli.Main --home SCRATCH run ...} with one kernel thread and the sweep's
 * per-run memory as its heap. The child is killed when the task is interrupted (Spark cancels it) or the executor
 * JVM exits. A non-zero exit throws, so that Spark runs the task again (up to {@code spark.task.maxFailures}); a
 * finished run comes back as a zip of its directory, or is written under {@code --runs-uri}. The scratch
 * directory is removed in every case.
 *
 * <p>It uses nothing of the driver but this module: on a cluster, this module's jar reaches the executors through
 * {@code SparkContext.addJar}.
 */
public final class PointTask implements Function<PointSpec, PointResult> {

    private static final long serialVersionUID = 1L;

    /** The environment variable that sets the child's kernel threads. */
    static final String KERNEL_THREADS = "RECURSA_KERNEL_THREADS";
    /** A Spark task is one core: its run trains on one data-parallel worker. */
    static final String TRAIN_THREADS = "RECURSA_TRAIN_THREADS";
    /** The launcher's main class in the shipped class path. */
    public static final String MAIN = "org.recursa.cli.Main";
    /** How long a child gets after SIGTERM before it is killed. */
    private static final long STOP_SECONDS = 10;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");
    private static final int OUTPUT_LINES = 20;

    @Override
    public PointResult call(PointSpec spec) throws Exception {
        String attempt = TaskContext.get() == null ? "" : ", attempt " + (TaskContext.get().attemptNumber() + 1);
        String what = "point " + spec.point() + " of sweep " + spec.sweep() + attempt;
        // In the application's own directory on the executor (a standalone worker's --work-dir/app-*), not /tmp:
        // whatever a killed executor leaves there goes with the application's directory.
        Path scratch = Files.createTempDirectory(Path.of(SparkFiles.getRootDirectory()), "recursa-" + spec.point()
                + "-");
        try {
            Path home = scratch.resolve("home");
            List<String> classPath = arrange(spec.files(), Files.createDirectories(home.resolve("plugins")), what);
            Path log = scratch.resolve("output.log");
            int code = runChild(command(spec, classPath, home), log);
            String output = tail(log);
            if (code != 0) {
                throw new IllegalStateException(what + ": recursa run exited with code " + code + ": "
                        + lastWords(output));
            }
            Path run = finishedRun(home.resolve("runs"), what);
            byte[] zip = zip(run);
            String runId = run.getFileName().toString();
            if (spec.runsUri() == null) {
                return new PointResult(runId, zip, null, output);
            }
            return new PointResult(runId, null, write(spec, runId, zip), output);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Checks every shipped file's size and SHA-256, copies the plugins into the scratch home, and returns the class
     * path: the shipped lib jars where Spark put them, in the driver's order.
     */
    static List<String> arrange(List<ShippedFile> files, Path plugins, String what) throws IOException {
        List<String> classPath = new ArrayList<>();
        for (ShippedFile file : files) {
            Path arrived = Path.of(SparkFiles.get(file.name()));
            verify(file, arrived, what);
            if (file.role() == ShippedFile.Role.LIB) {
                classPath.add(arrived.toString());
            } else {
                if (!SAFE_NAME.matcher(file.target()).matches()) {
                    throw new IllegalStateException(what + ": shipped plugin file name '" + file.target()
                            + "' is not a plain file name");
                }
                Files.copy(arrived, plugins.resolve(file.target()));
            }
        }
        return classPath;
    }

    /** Refuses a file whose size or SHA-256 differs from what the driver computed. */
    static void verify(ShippedFile file, Path arrived, String what) throws IOException {
        if (!Files.isRegularFile(arrived)) {
            throw new IllegalStateException(what + ": shipped file " + file.name() + " did not arrive (" + arrived
                    + ")");
        }
        String sha = Sha256.of(arrived);
        if (!sha.equals(file.sha256()) || Files.size(arrived) != file.size()) {
            throw new IllegalStateException(what + ": shipped file " + file.name() + " has SHA-256 " + sha + " ("
                    + Files.size(arrived) + " bytes) on arrival, the driver sent " + file.sha256() + " (" + file.size()
                    + " bytes); refusing to run it");
        }
    }

    static List<String> command(PointSpec spec, List<String> classPath, Path home) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.add("-Xmx" + Math.max(256, spec.heapBytes() >> 20) + "m");
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), spec.mainClass(), "--home",
                home.toString()));
        command.addAll(spec.runArguments());
        return command;
    }

    /** Runs the child to its end; kills it when this thread is interrupted or this JVM exits first. */
    static int runChild(List<String> command, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(KERNEL_THREADS, "1");
        builder.environment().put(TRAIN_THREADS, "1");
        Process child = builder.start();
        Thread hook = new Thread(child::destroyForcibly, "recursa-point-child-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return child.waitFor();
        } finally {
            if (child.isAlive()) {
                child.destroy();
                if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook kills the child
            }
        }
    }

    /** The one run the child recorded in the scratch home. */
    private static Path finishedRun(Path runs, String what) throws IOException {
        List<Path> dirs;
        try (Stream<Path> list = Files.exists(runs) ? Files.list(runs) : Stream.empty()) {
            dirs = list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
        }
        if (dirs.size() != 1) {
            throw new IllegalStateException(what + ": recursa run exited with 0 but recorded " + dirs.size()
                    + " runs in " + runs);
        }
        return dirs.get(0);
    }

    /** The run directory as a zip whose entries are {@code <runId>/<relative path>}, files only, in name order. */
    static byte[] zip(Path run) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String prefix = run.getFileName().toString() + "/";
        try (ZipOutputStream out = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(run)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(prefix + run.relativize(file).toString().replace(File.separatorChar,
                        '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Writes the zip under {@code runsUri/<sweep>/} through Hadoop's file system API and returns its URI. */
    private static String write(PointSpec spec, String runId, byte[] zip) throws IOException {
        String base = spec.runsUri().endsWith("/") ? spec.runsUri() : spec.runsUri() + "/";
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(base + spec.sweep() + "/" + spec.point()
                + "-" + runId + ".zip");
        org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(target.toString() + ".part");
        FileSystem fs = target.getFileSystem(new Configuration());
        try (OutputStream out = fs.create(temp, true)) {
            out.write(zip);
        }
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename " + temp + " to " + target);
        }
        return target.toUri().toString();
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - OUTPUT_LINES), lines.size()));
    }

    /** The child's last {@code recursa:} error line, else its last line. */
    static String lastWords(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String chosen = lines.stream().filter(l -> l.startsWith("recursa: ")).reduce((a, b) -> b)
                .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
        return chosen.length() > 300 ? chosen.substring(0, 300) + "..." : chosen;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a scratch directory left in the temporary directory
        }
    }
}
