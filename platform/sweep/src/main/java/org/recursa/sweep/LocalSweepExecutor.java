package org.recursa.sweep;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs points as child processes on this machine, each a {@code recursa} in its own JVM on one thread
 * ({@code RECURSA_KERNEL_THREADS=1} and {@code RECURSA_TRAIN_THREADS=1}: the points share the cores, and a run
 * records the thread count it trained on). A child's output goes to the point's log ({@link Sweep#log}), so a child outlives the
 * sweep process when that is killed: its run finishes and is recorded, and a resumed sweep waits for it instead of
 * starting the point again ({@link PointLock}).
 */
public final class LocalSweepExecutor implements SweepExecutor {

    /** The environment variable that sets a process's kernel threads. */
    public static final String KERNEL_THREADS = "RECURSA_KERNEL_THREADS";
    /** The environment variable that sets a run's data-parallel worker threads where {@code train.threads} is 0. */
    public static final String TRAIN_THREADS = "RECURSA_TRAIN_THREADS";

    /** How long {@link #close} waits for a child to record its run as interrupted before killing it. */
    static final long STOP_SECONDS = 90;

    private final List<String> recursa;
    private final Map<String, String> environment;
    private final int slots;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();

    /**
     * @param recursa     the command that starts {@code recursa} against the sweep's home, up to and including the
     *                    global options, e.g. {@code [java, -cp, <class path>, org.recursa.cli.Main, --home, DIR]}
     * @param environment variables for the children on top of this process's ({@link #KERNEL_THREADS} and
     *                    {@link #TRAIN_THREADS} are set to 1 unless given here)
     * @param slots       how many children at once
     */
    public LocalSweepExecutor(List<String> recursa, Map<String, String> environment, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        }
        this.recursa = List.copyOf(recursa);
        this.environment = new LinkedHashMap<>(environment);
        this.environment.putIfAbsent(KERNEL_THREADS, "1");
        this.environment.putIfAbsent(TRAIN_THREADS, "1");
        this.slots = slots;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public Handle submit(Sweep sweep, SweepPoint point) {
        Path log = sweep.log(point.key());
        List<String> command = new ArrayList<>(recursa);
        command.addAll(PointCommand.arguments(sweep, point));
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "--- " + Instant.now() + " " + point.describe() + ": " + String.join(" ",
                            command.subList(Math.max(0, command.size() - 4), command.size())) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            long offset = Files.size(log);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            live.add(process);
            CompletableFuture<PointExit> exit = process.onExit().thenApply(ended -> {
                live.remove(ended);
                return new PointExit(ended.exitValue(), lastWords(log, offset));
            });
            return Handle.of(point, exit, process::destroy);
        } catch (IOException e) {
            throw new SweepException("cannot start point " + point.key() + " of sweep " + sweep.id() + ": "
                    + e.getMessage(), e);
        }
    }

    /** SIGTERM to every child (each records its run as interrupted), then waits; a child that hangs is killed. */
    @Override
    public void close() {
        List<Process> stopping = new ArrayList<>(live);
        stopping.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
        for (Process process : stopping) {
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /**
     * The line of the log after {@code offset} that says best why the child ended: its last {@code recursa:} error
     * line, else its last line.
     */
    static String lastWords(Path log, long offset) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(offset, file.length() - 16_384);
            byte[] tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
            String chosen = lines.stream().filter(l -> l.startsWith("recursa: ")).reduce((a, b) -> b)
                    .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
            return chosen.length() > 300 ? chosen.substring(0, 300) + "..." : chosen;
        } catch (IOException e) {
            return "";
        }
    }
}
