package org.recursa.runstore;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The run store, {@code $RECURSA_HOME/runs}: the one owner of the run format (docs/runs.md). It creates runs
 * ({@link #create}, {@link #derive}), lists and opens them, deletes them, and keeps the change journal that the
 * index follows. Several processes may use one store at once: run directories are created with unique names,
 * documents are replaced atomically, the journal is appended under a file lock, and each running run is locked by
 * the process that owns it.
 */
public final class RunStore {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final String DELETING = ".deleting-";

    private final Path root;
    private final ChangeJournal journal;

    private RunStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.journal = new ChangeJournal(this.root);
    }

    /** The store in {@code runs} (created on the first {@link #create}). */
    public static RunStore at(Path runs) {
        return new RunStore(runs);
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }

    /** The change journal. */
    public ChangeJournal journal() {
        return journal;
    }

    /**
     * Creates a run: a new directory {@code <yyyyMMdd-HHmmss>-<label>-<hex>} owned by this process, with its
     * {@code config.json} (id, format and start time assigned here) and status {@code running}.
     *
     * @param label what the id says after the time, e.g. {@code copy-universal}; characters other than letters,
     *              digits, '.', '-' and '_' become '_'
     */
    public RunWriter create(RunConfig config, String label) {
        return newRun(config, label, null);
    }

    /**
     * Creates a run derived from an ended run (an evaluation or compression of it); its config names the parent.
     *
     * @throws UnknownRunException when the parent does not exist
     * @throws RunStoreException   when the parent has not ended
     */
    public RunWriter derive(String parentId, RunConfig config, String label) {
        StoredRun parent = open(parentId);
        if (!parent.state().status().ended()) {
            throw new RunStoreException("run " + parentId + " is still running; derive from it once it has ended");
        }
        return newRun(config, label, parent.id());
    }

    private RunWriter newRun(RunConfig config, String label, String parent) {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new RunStoreException("cannot create the run store " + root + ": it exists and is not a directory; "
                    + "move it away or choose another home");
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new RunStoreException("cannot create the run store " + root + ": " + e.getMessage(), e);
        }
        String safe = label.replaceAll("[^A-Za-z0-9._-]", "_");
        safe = safe.length() > 80 ? safe.substring(0, 80) : safe;
        for (int attempt = 0; ; attempt++) {
            Instant now = Instant.now();
            String id = ID_TIME.format(now) + "-" + safe + "-"
                    + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(1 << 16));
            // Creating the directory is what claims the id: another process may pick the same id in the same second.
            try {
                Files.createDirectory(root.resolve(id));
            } catch (FileAlreadyExistsException taken) {
                if (attempt < 100) {
                    continue;
                }
                throw new RunStoreException("cannot create a run directory in " + root + ": 100 ids were taken", taken);
            } catch (IOException e) {
                throw new RunStoreException("cannot create the run directory " + root.resolve(id) + ": "
                        + e.getMessage(), e);
            }
            return RunWriter.create(root.resolve(id), config.assigned(id, RunFormat.VERSION, now, parent), journal);
        }
    }

    /**
     * What {@link #importRun} did.
     *
     * @param id       the run's id
     * @param imported false when a run of that id was in the store already (nothing was changed)
     */
    public record Imported(String id, boolean imported) {
    }

    /**
     * Imports a finished run recorded in another store (a sweep point run on another machine) from a zip whose
     * entries are {@code <run id>/<path>}: checked as hostile input (no entry outside the run, at most
     * {@code maxBytes} unpacked, the run readable as a finished run of this format), unpacked into a hidden directory
     * of this store, renamed into place and journaled. A run whose id exists is not imported again.
     *
     * @throws RunStoreException naming what was refused, or why the store cannot take it
     */
    public Imported importRun(java.io.InputStream zip, long maxBytes) {
        return RunImport.from(this, zip, maxBytes);
    }

    /**
     * Every run id, in name order (which is start-time order). Hidden directories (a delete or an import in progress)
     * are skipped.
     */
    public List<String> ids() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RunStoreException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Whether a run with this exact id exists. */
    public boolean exists(String id) {
        try {
            StoredRun.checkName(id, "run id");
        } catch (UnknownRunException e) {
            return false;
        }
        return Files.isDirectory(root.resolve(id));
    }

    /**
     * Opens a run by its exact id.
     *
     * @throws UnknownRunException when there is no such run or the id is malformed
     */
    public StoredRun open(String id) {
        StoredRun.checkName(id, "run id");
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir)) {
            throw new UnknownRunException("unknown run '" + id + "' in " + root);
        }
        return new StoredRun(dir);
    }

    /**
     * Opens a run by its id or a unique prefix of one.
     *
     * @throws UnknownRunException naming the close matches or the newest runs
     */
    public StoredRun find(String idOrPrefix) {
        if (exists(idOrPrefix)) {
            return new StoredRun(root.resolve(idOrPrefix));
        }
        List<String> all = ids();
        List<String> matches = idOrPrefix.isBlank() ? List.of()
                : all.stream().filter(id -> id.startsWith(idOrPrefix)).toList();
        if (matches.size() == 1) {
            return new StoredRun(root.resolve(matches.get(0)));
        }
        if (matches.size() > 1) {
            throw new UnknownRunException("run id prefix '" + idOrPrefix + "' matches " + matches.size()
                    + " runs, e.g. " + String.join(", ", matches.subList(0, Math.min(3, matches.size())))
                    + "; give more of the id");
        }
        throw new UnknownRunException("unknown run '" + idOrPrefix + "'; " + (all.isEmpty() ? "there are no runs in "
                + root : all.size() + " runs in " + root + ", newest: "
                + String.join(", ", all.subList(Math.max(0, all.size() - 3), all.size()))));
    }

    /**
     * Records probes of an ended run as {@code probes/<split>.json} (replacing an earlier probe of that split),
     * written to a temporary file and renamed into place. The run's outcome and summary do not change, so nothing
     * is journaled.
     *
     * @return the file written
     * @throws UnknownRunException when there is no such run or the split name is malformed
     * @throws RunStoreException   when the run has not ended, or the file cannot be written
     */
    public Path saveProbe(String id, ProbeRecord record) {
        StoredRun run = open(id);
        StoredRun.checkName(record.split(), "split");
        if (!Files.exists(run.dir().resolve(RunFormat.FINAL))) {
            throw new RunStoreException("run " + id + " has not ended (it is " + run.state().status().id()
                    + "); probe it once it has");
        }
        Path folder = run.dir().resolve(RunFormat.PROBES);
        Path file = folder.resolve(record.split() + RunFormat.PROBE_SUFFIX);
        try {
            Files.createDirectories(folder);
            AtomicFiles.write(file, Json.document(record));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RunStoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * Deletes a run: its directory is renamed to a hidden name (atomic: no half-deleted run ever looks like a run),
     * the deletion is journaled, then the files are removed. A running run is refused unless {@code force}, which
     * first stops its process (SIGTERM, which records the run as interrupted) and waits up to {@code wait} for it.
     *
     * @throws RunStoreException when the run is running and not forced, or cannot be stopped or deleted
     */
    public void delete(String id, boolean force, Duration wait) {
        StoredRun run = open(id);
        // Whether final.json exists, not what it says: a damaged run must stay deletable.
        boolean ended = Files.exists(run.dir().resolve(RunFormat.FINAL));
        if (!ended && RunOwner.probe(run.dir()) == RunOwner.Liveness.ALIVE) {
            String who = run.owner().map(RunOwner.Info::describe).orElse("another process");
            if (!force) {
                throw new RunStoreException("run " + id + " is running (" + who + "); wait for it to end, stop it, or "
                        + "pass --force to stop it and delete it");
            }
            stop(run, wait);
        }
        Path doomed = root.resolve(DELETING + id);
        try {
            Files.move(run.dir(), doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new UnknownRunException("unknown run '" + id + "' in " + root + " (deleted meanwhile)");
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            throw new RunStoreException("cannot delete run " + id + ": " + doomed + " is in the way", e);
        } catch (IOException e) {
            throw new RunStoreException("cannot delete run " + id + ": " + e.getMessage(), e);
        }
        journal.append(ChangeJournal.Op.DELETED, id);
        StoredRun.deleteTree(doomed);
    }

    private static void stop(StoredRun run, Duration wait) {
        Optional<RunOwner.Info> owner = run.owner();
        Optional<ProcessHandle> process = owner.flatMap(o -> ProcessHandle.of(o.pid()))
                .filter(p -> p.info().startInstant().map(Instant::toString).orElse("")
                        .equals(owner.get().processStart()));
        if (process.isEmpty()) {
            throw new RunStoreException("run " + run.id() + " is owned by " + owner.map(RunOwner.Info::describe)
                    .orElse("an unknown process") + ", which cannot be stopped from here; stop it on its host first");
        }
        process.get().destroy();
        long deadline = System.nanoTime() + wait.toNanos();
        while (RunOwner.probe(run.dir()) == RunOwner.Liveness.ALIVE) {
            if (System.nanoTime() > deadline) {
                throw new RunStoreException("run " + run.id() + " did not stop within " + wait.toSeconds() + " s of "
                        + "SIGTERM to " + owner.get().describe() + "; nothing was deleted");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunStoreException("interrupted while waiting for run " + run.id() + " to stop", e);
            }
        }
    }
}
