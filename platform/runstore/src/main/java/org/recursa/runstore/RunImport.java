package org.recursa.runstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Imports a finished run recorded elsewhere (a sweep point run on a Spark executor) from a zip whose entries are
 * {@code <runId>/<path>}. The zip is treated as hostile: every entry must stay inside the one run directory it
 * names, the files may hold at most a given number of bytes in all (counted as they are written, not as the zip
 * declares them), and the run must read back through this store's own readers as a finished run of this format.
 * It is unpacked into a hidden directory inside {@code runs/}, renamed into place, and journaled as created and
 * ended, so the index picks it up. A run whose id exists already is left alone: importing twice is a no-op.
 */
final class RunImport {

    /** Entries at most: a run holds a handful of documents, its artifacts and a checkpoint. */
    static final int MAX_ENTRIES = 10_000;
    private static final String STAGING = ".importing-";

    private RunImport() {
    }

    static RunStore.Imported from(RunStore store, InputStream zip, long maxBytes) {
        Path root = store.root();
        Path stage;
        try {
            Files.createDirectories(root);
            stage = Files.createTempDirectory(root, STAGING);
        } catch (IOException e) {
            throw new RunStoreException("cannot stage an import in " + root + ": " + e.getMessage(), e);
        }
        try {
            String id = unpack(zip, stage, maxBytes);
            Path run = stage.resolve(id);
            check(new StoredRun(run), id);
            if (store.exists(id)) {
                return new RunStore.Imported(id, false);
            }
            try {
                Files.move(run, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                return new RunStore.Imported(id, false); // imported meanwhile by another process
            } catch (AtomicMoveNotSupportedException e) {
                throw new RunStoreException("cannot import run " + id + ": " + root + " does not rename atomically", e);
            }
            store.journal().append(ChangeJournal.Op.CREATED, id);
            store.journal().append(ChangeJournal.Op.ENDED, id);
            return new RunStore.Imported(id, true);
        } catch (IOException e) {
            throw new RunStoreException("cannot import a run into " + root + ": " + e.getMessage(), e);
        } finally {
            StoredRun.deleteTree(stage);
        }
    }

    /** Unpacks the entries under {@code stage} and returns the run id they all start with. */
    private static String unpack(InputStream zip, Path stage, long maxBytes) throws IOException {
        String id = null;
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw new RunStoreException("refused run import: more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash <= 0 || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
                    throw new RunStoreException("refused run import: entry '" + name + "' is not <run id>/<path>");
                }
                String first = name.substring(0, slash);
                if (id == null) {
                    StoredRun.checkName(first, "run id");
                    id = first;
                } else if (!id.equals(first)) {
                    throw new RunStoreException("refused run import: entries of two runs, '" + id + "' and '" + first
                            + "'");
                }
                Path run = stage.resolve(id);
                Path target = run.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(run) || target.equals(run)) {
                    throw new RunStoreException("refused run import: entry '" + name + "' leaves the run directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                        if (total > maxBytes) {
                            throw new RunStoreException("refused run import: its files exceed " + maxBytes
                                    + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (FileAlreadyExistsException e) {
                    throw new RunStoreException("refused run import: entry '" + name + "' appears twice", e);
                }
            }
        } catch (ZipException e) {
            throw new RunStoreException("refused run import: not a readable zip (" + e.getMessage() + ")", e);
        }
        if (id == null) {
            throw new RunStoreException("refused run import: the zip holds no run");
        }
        return id;
    }

    /** Reads the run through the store's readers: a finished run of this format, named as its config says. */
    private static void check(StoredRun run, String id) {
        try {
            RunConfig config = run.config();
            if (!id.equals(config.id())) {
                throw new RunStoreException("refused run import: directory " + id + " holds run '" + config.id()
                        + "'");
            }
            StoredRun.State state = run.state();
            if (state.status() != RunStatus.FINISHED) {
                throw new RunStoreException("refused run import: run " + id + " is " + state.status().id()
                        + ", not finished");
            }
            run.summary();
            run.progress();
            run.artifacts();
        } catch (DamagedRunException e) {
            throw new RunStoreException("refused run import: run " + id + " is damaged: " + e.getMessage(), e);
        } catch (RunStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RunStoreException("refused run import: run " + id + " cannot be read: " + e.getMessage(), e);
        }
    }
}
