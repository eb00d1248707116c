package org.recursa.runstore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes one run, from the process that owns it: progress lines, proof artifacts, the checkpoint, and finally its
 * outcome ({@link #finish}, {@link #fail}). Closing a writer that recorded no outcome records the run as failed, so
 * no run this process gives up on stays {@code running}; a process that dies without closing it leaves the run
 * to be read as {@link RunStatus#CRASHED}.
 */
public final class RunWriter implements AutoCloseable {

    /** Writes a checkpoint file to the path it is given. */
    @FunctionalInterface
    public interface FileWriter {
        /** Writes the whole file at {@code target}. */
        void write(Path target) throws IOException;
    }

    private final Path dir;
    private final RunConfig config;
    private final ChangeJournal journal;
    private final RunOwner owner;
    private final BufferedWriter progress;
    private final TreeSet<String> artifacts = new TreeSet<>();
    private Summaries.ProgressStats stats = Summaries.ProgressStats.NONE;
    private boolean ended;

    private RunWriter(Path dir, RunConfig config, ChangeJournal journal, RunOwner owner, BufferedWriter progress) {
        this.dir = dir;
        this.config = config;
        this.journal = journal;
        this.owner = owner;
        this.progress = progress;
    }

    /**
     * Takes ownership of the directory the store has just created for the run, writes config and status, and
     * journals the creation; on failure removes the directory again.
     */
    static RunWriter create(Path dir, RunConfig config, ChangeJournal journal) {
        RunOwner owner = null;
        try {
            owner = RunOwner.claim(dir);
            Files.createDirectory(dir.resolve(RunFormat.ARTIFACTS));
            AtomicFiles.write(dir.resolve(RunFormat.CONFIG), Json.document(config));
            writeStatus(dir, RunStatus.RUNNING);
            BufferedWriter progress = Files.newBufferedWriter(dir.resolve(RunFormat.METRICS), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            journal.append(ChangeJournal.Op.CREATED, config.id());
            return new RunWriter(dir, config, journal, owner, progress);
        } catch (IOException | RuntimeException e) {
            closeQuietly(owner);
            StoredRun.deleteTree(dir);
            throw e instanceof RunStoreException r ? r : new RunStoreException("cannot create the run " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The run id. */
    public String id() {
        return config.id();
    }

    /** The run directory, for messages. */
    public Path dir() {
        return dir;
    }

    /** The configuration as written, with its id and format. */
    public RunConfig config() {
        return config;
    }

    /**
     * Appends one record to {@code metrics.jsonl} ({@code type} {@code step} or {@code eval}, docs/runs.md), a whole
     * line at a time, flushed.
     */
    public void progress(Map<String, Object> record) {
        try {
            progress.write(Json.line(record));
            progress.newLine();
            progress.flush();
        } catch (IOException e) {
            throw new RunStoreException("cannot append to " + dir.resolve(RunFormat.METRICS) + ": " + e.getMessage(), e);
        }
        if ("step".equals(record.get("type"))) {
            stats = stats.plus(number(record.get("loss")), number(record.get("tokens_per_s")));
        }
    }

    /**
     * Writes {@code artifacts/<split>.jsonl} whole, atomically: one proof-artifact record per element
     * (docs/artifacts.md).
     */
    public void artifacts(String split, List<? extends Map<String, Object>> records) {
        StoredRun.checkName(split, "split name");
        StringBuilder lines = new StringBuilder();
        records.forEach(record -> lines.append(Json.line(record)).append('\n'));
        AtomicFiles.write(dir.resolve(RunFormat.ARTIFACTS).resolve(split + RunFormat.ARTIFACT_SUFFIX),
                lines.toString().getBytes(StandardCharsets.UTF_8));
        artifacts.add(split);
    }

    /**
     * Saves the checkpoint: {@code writer} writes a temporary file beside {@code checkpoint/model.rckpt}, which is then
     * renamed into place, so a crash never leaves a half-written checkpoint under the real name.
     *
     * @return the checkpoint file
     */
    public Path checkpoint(FileWriter writer) {
        Path target = dir.resolve(RunFormat.CHECKPOINT_DIR).resolve(RunFormat.CHECKPOINT);
        Path temp = target.resolveSibling("." + RunFormat.CHECKPOINT + ".tmp");
        try {
            if (!Files.isDirectory(target.getParent())) {
                // createDirectory, not createDirectories: a deleted run's directory must not come back.
                try {
                    Files.createDirectory(target.getParent());
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // created meanwhile; the rename below checks the rest
                }
            }
            writer.write(temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new RunStoreException("cannot save the checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records the outcome: {@code final.json}, then {@code summary.json} and {@code status}, then the journal entry.
     * {@code final.json} is what marks the run as ended, so a crash between these steps leaves a run that reads as
     * ended; the index's liveness sweep picks up an entry the journal missed.
     */
    public void finish(RunStatus status, int steps, boolean stoppedEarly, double seconds,
                       Map<String, FinalRecord.SplitResult> splits) {
        finish(status, steps, stoppedEarly, seconds, splits, null, null);
    }

    /**
     * As {@link #finish(RunStatus, int, boolean, double, Map)}, with what training computed and the results at other
     * inference depths ({@link FinalRecord#depths()}), either of them null.
     */
    public void finish(RunStatus status, int steps, boolean stoppedEarly, double seconds,
                       Map<String, FinalRecord.SplitResult> splits, FinalRecord.Training training,
                       Map<String, Map<String, FinalRecord.SplitResult>> depths) {
        finish(status, steps, stoppedEarly, seconds, splits, training, depths, null);
    }

    /**
     * As {@link #finish(RunStatus, int, boolean, double, Map, FinalRecord.Training, Map)}, for a compressed run with
     * what the compression saved.
     */
    public void finish(RunStatus status, int steps, boolean stoppedEarly, double seconds,
                       Map<String, FinalRecord.SplitResult> splits, FinalRecord.Training training,
                       Map<String, Map<String, FinalRecord.SplitResult>> depths, FinalRecord.Compression compression) {
        if (status != RunStatus.FINISHED && status != RunStatus.INTERRUPTED) {
            throw new IllegalArgumentException("finish records finished or interrupted runs, not " + status.id());
        }
        end(new FinalRecord(RunFormat.VERSION, status.id(), Instant.now().toString(), steps, stoppedEarly, seconds,
                null, splits, training, depths, compression));
    }

    /** Records the run as failed with {@code reason}; best effort, since the failure may be the disk itself. */
    public void fail(String reason, Integer steps, Double seconds) {
        end(new FinalRecord(RunFormat.VERSION, RunStatus.FAILED.id(), Instant.now().toString(), steps, null, seconds,
                reason, Map.of()));
    }

    /** Whether an outcome has been recorded. */
    public boolean ended() {
        return ended;
    }

    private void end(FinalRecord record) {
        if (ended) {
            throw new IllegalStateException("run " + id() + " already ended");
        }
        ended = true;
        try {
            AtomicFiles.write(dir.resolve(RunFormat.FINAL), Json.document(record));
        } catch (RuntimeException e) {
            String reason = record.error() != null ? record.error() : "the outcome (" + record.status() + ")";
            owner.lastWords(reason + "; then " + RunFormat.FINAL + " could not be written: " + e.getMessage());
            throw e;
        }
        RunStatus status = record.runStatus();
        List<String> trusted = status == RunStatus.FAILED ? List.of() : new ArrayList<>(artifacts);
        SummaryRecord summary = Summaries.derive(config, record, stats, status, record.error(), trusted);
        AtomicFiles.write(dir.resolve(RunFormat.SUMMARY), Json.document(summary));
        writeStatus(dir, status);
        journal.append(ChangeJournal.Op.ENDED, id());
    }

    /** Records a failure if no outcome was recorded, then gives up ownership. */
    @Override
    public void close() {
        try {
            if (!ended) {
                try {
                    fail("the run ended without recording an outcome", stats.steps(), null);
                } catch (RuntimeException e) {
                    // best effort: without an outcome, readers report the run as crashed once the lock is released
                }
            }
            progress.close();
        } catch (IOException e) {
            // the metrics lines written so far were flushed one by one
        } finally {
            closeQuietly(owner);
        }
    }

    static void writeStatus(Path dir, RunStatus status) {
        AtomicFiles.write(dir.resolve(RunFormat.STATUS), (status.id() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void closeQuietly(RunOwner owner) {
        if (owner == null) {
            return;
        }
        try {
            owner.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
