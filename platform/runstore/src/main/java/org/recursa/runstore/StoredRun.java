package org.recursa.runstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run on disk, read-only. Every reader of runs goes through this class, so there is one answer to "how does
 * this run stand": a run with {@code final.json} has ended as it says; a run without one is running while its owner
 * holds the lock, and otherwise failed (when the owner left a reason) or crashed. Records are read when asked for;
 * every way a file can be wrong becomes a {@link DamagedRunException} naming the run and the file.
 */
public final class StoredRun {

    /** Run ids and split names: letters, digits, dot, dash, underscore; not starting with a dot. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

    /**
     * How a run stands.
     *
     * @param status the status, crashes included
     * @param reason why it failed or crashed, if known
     */
    public record State(RunStatus status, Optional<String> reason) {
    }

    private final Path dir;
    private RunConfig config;

    StoredRun(Path dir) {
        this.dir = dir;
    }

    /** The run id, its directory's name. */
    public String id() {
        return dir.getFileName().toString();
    }

    /** The run directory, for messages and for users who want to look inside. */
    public Path dir() {
        return dir;
    }

    /** {@code config.json}. */
    public RunConfig config() {
        if (config == null) {
            RunConfig read = readDocument(RunFormat.CONFIG, RunConfig.class);
            int format = RunFormat.check(dir, RunFormat.CONFIG, read.format());
            if (read.startedAt() == null || read.task() == null || read.architecture() == null) {
                throw new DamagedRunException(dir, RunFormat.CONFIG + " lacks started_at, task or architecture", null);
            }
            try {
                read.startMillis();
            } catch (RuntimeException e) {
                throw new DamagedRunException(dir, RunFormat.CONFIG + " started_at is not an ISO-8601 instant: '"
                        + read.startedAt() + "'", e);
            }
            // An absent id is the directory's name; an absent format is 1 (runs written before it was versioned).
            config = read.id() == null || read.format() != format ? read.assigned(read.id() == null ? id() : read.id(),
                    format, java.time.Instant.parse(read.startedAt()), read.parent()) : read;
        }
        return config;
    }

    /** {@code final.json}, present once the run has ended. */
    public Optional<FinalRecord> end() {
        if (!Files.exists(dir.resolve(RunFormat.FINAL))) {
            return Optional.empty();
        }
        FinalRecord read = readDocument(RunFormat.FINAL, FinalRecord.class);
        int format = RunFormat.check(dir, RunFormat.FINAL, read.format());
        FinalRecord end = read.format() == format ? read : new FinalRecord(format, read.status(), read.finishedAt(),
                read.steps(), read.stoppedEarly(), read.seconds(), read.error(), read.splits(), read.training(),
                read.depths());
        if (end.status() == null || end.finishedAt() == null) {
            throw new DamagedRunException(dir, RunFormat.FINAL + " lacks status or finished_at", null);
        }
        try {
            end.runStatus();
            java.time.Instant.parse(end.finishedAt());
        } catch (RuntimeException e) {
            throw new DamagedRunException(dir, RunFormat.FINAL + ": " + e.getMessage(), e);
        }
        return Optional.of(end);
    }

    /** {@code metrics.jsonl}. */
    public ProgressLog progress() {
        return ProgressLog.read(dir);
    }

    /** How the run stands; see the class comment. */
    public State state() {
        Optional<FinalRecord> end = end();
        if (end.isPresent()) {
            return new State(end.get().runStatus(), Optional.ofNullable(end.get().error()));
        }
        String recorded = readText(RunFormat.STATUS).trim();
        if (!recorded.equals(RunStatus.RUNNING.id())) {
            throw new DamagedRunException(dir, RunFormat.FINAL + " is missing but the status is '" + recorded + "'",
                    null);
        }
        return switch (RunOwner.probe(dir)) {
            case ALIVE -> new State(RunStatus.RUNNING, Optional.empty());
            case GONE -> RunOwner.lastWords(dir)
                    .map(words -> new State(RunStatus.FAILED, Optional.of(words)))
                    .orElseGet(() -> new State(RunStatus.CRASHED, Optional.of(crashReason())));
            case UNTRACKED -> new State(RunStatus.CRASHED, Optional.of("no outcome was recorded and no process owns "
                    + "the run (it was written by a Recursa that did not record its process)"));
        };
    }

    private String crashReason() {
        String who = RunOwner.info(dir).map(RunOwner.Info::describe).orElse("its process");
        return who + " ended without recording an outcome (killed, or the machine stopped)";
    }

    /**
     * The index's view of the run: {@code summary.json} when the run ended normally, else derived from the other
     * files (a running or crashed run, or a run of format 1).
     */
    public SummaryRecord summary() {
        if (Files.exists(dir.resolve(RunFormat.SUMMARY))) {
            SummaryRecord summary = readDocument(RunFormat.SUMMARY, SummaryRecord.class);
            RunFormat.check(dir, RunFormat.SUMMARY, summary.format());
            if (summary.id() != null && summary.status() != null) {
                return summary;
            }
        }
        State state = state();
        FinalRecord end = end().orElse(null);
        List<String> trusted = state.status() == RunStatus.FINISHED || state.status() == RunStatus.INTERRUPTED
                ? List.copyOf(artifacts().keySet()) : List.of();
        return Summaries.derive(config(), end, Summaries.ProgressStats.of(progress()), state.status(),
                state.reason().orElse(null), trusted);
    }

    /** The proof-artifact files present, split name to file, in name order. */
    public Map<String, ArtifactFile> artifacts() {
        Map<String, ArtifactFile> files = new java.util.TreeMap<>();
        Path folder = dir.resolve(RunFormat.ARTIFACTS);
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> list = Files.list(folder)) {
            list.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(RunFormat.ARTIFACT_SUFFIX) && !name.startsWith(".")) {
                    String split = name.substring(0, name.length() - RunFormat.ARTIFACT_SUFFIX.length());
                    files.put(split, new ArtifactFile(dir, split, p));
                }
            });
        } catch (IOException e) {
            throw new DamagedRunException(dir, RunFormat.ARTIFACTS + " cannot be listed (" + e.getMessage() + ")", e);
        }
        return files;
    }

    /** The artifact files the summary lists as complete (those of a finished or interrupted run). */
    public Map<String, ArtifactFile> trustedArtifacts(SummaryRecord summary) {
        Map<String, ArtifactFile> files = new LinkedHashMap<>();
        for (String split : summary.artifacts()) {
            if (NAME.matcher(split).matches()) {
                files.put(split, new ArtifactFile(dir, split, dir.resolve(RunFormat.ARTIFACTS)
                        .resolve(split + RunFormat.ARTIFACT_SUFFIX)));
            }
        }
        return files;
    }

    /**
     * The probe records ({@code probes/<split>.json}, written by {@link RunStore#saveProbe}), split name to record,
     * in name order.
     *
     * @throws DamagedRunException when one cannot be read
     */
    public Map<String, ProbeRecord> probes() {
        Map<String, ProbeRecord> probes = new java.util.TreeMap<>();
        Path folder = dir.resolve(RunFormat.PROBES);
        if (!Files.isDirectory(folder)) {
            return probes;
        }
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(RunFormat.PROBE_SUFFIX) && !name.startsWith(".")) {
                    String relative = RunFormat.PROBES + "/" + name;
                    ProbeRecord record = readDocument(relative, ProbeRecord.class);
                    RunFormat.check(dir, relative, record.format());
                    probes.put(name.substring(0, name.length() - RunFormat.PROBE_SUFFIX.length()), record);
                }
            }
        } catch (IOException e) {
            throw new DamagedRunException(dir, RunFormat.PROBES + " cannot be listed (" + e.getMessage() + ")", e);
        }
        return probes;
    }

    /** The checkpoint file, if the run saved one. */
    public Optional<Path> checkpoint() {
        Path file = dir.resolve(RunFormat.CHECKPOINT_DIR).resolve(RunFormat.CHECKPOINT);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** The owner's pid and host, if recorded. */
    Optional<RunOwner.Info> owner() {
        return RunOwner.info(dir);
    }

    private <T> T readDocument(String name, Class<T> type) {
        String text = readText(name);
        if (text.isBlank()) {
            throw new DamagedRunException(dir, name + " is empty", null);
        }
        try {
            T value = Json.DOCUMENT.readValue(text, type);
            if (value == null) {
                throw new DamagedRunException(dir, name + " is not a JSON object", null);
            }
            return value;
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new DamagedRunException(dir, name + ": field '" + path(e) + "' has the wrong type ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
        } catch (IOException e) {
            throw new DamagedRunException(dir, name + " is truncated or not a valid record (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")", e);
        }
    }

    /** The JSON path of a binding error, e.g. {@code splits.test-id.by_feature.bits.6.seq_acc}. */
    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference reference : e.getPath()) {
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
        }
        return path.toString();
    }

    private String readText(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DamagedRunException(dir, name + " is missing", e);
        } catch (IOException e) {
            throw new DamagedRunException(dir, name + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Checks a name that becomes part of a path (a run id, a split).
     *
     * @throws UnknownRunException naming what is wrong and what would be right
     */
    static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UnknownRunException("invalid " + what + " '" + name + "': use letters, digits, '.', '-' and '_', "
                    + "not starting with '.' or '-', at most 200 characters");
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RunStoreException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
