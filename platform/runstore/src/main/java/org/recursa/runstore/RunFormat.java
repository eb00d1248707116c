package org.recursa.runstore;

import java.nio.file.Path;

/**
 * The run directory's layout and version (docs/runs.md). Version 1 is the unversioned layout of earlier releases
 * (config, metrics, final, status, artifacts, checkpoint); version 2 adds the version field in every JSON
 * document, {@code owner.json} with the lock that tells a live run from a crashed one, and {@code summary.json}.
 * Readers read every version up to {@link #VERSION} and refuse newer ones with one line.
 */
public final class RunFormat {

    /** The version this code writes, and the newest it reads. */
    public static final int VERSION = 2;

    static final String CONFIG = "config.json";
    static final String METRICS = "metrics.jsonl";
    static final String FINAL = "final.json";
    static final String SUMMARY = "summary.json";
    static final String STATUS = "status";
    static final String OWNER = "owner.json";
    static final String LOCK = "owner.lock";
    static final String ARTIFACTS = "artifacts";
    static final String ARTIFACT_SUFFIX = ".jsonl";
    static final String CHECKPOINT_DIR = "checkpoint";
    static final String CHECKPOINT = "model.rckpt";
    static final String PROBES = "probes";
    static final String PROBE_SUFFIX = ".json";

    private RunFormat() {
    }

    /**
     * The format a document declares: its {@code format} field, 1 when absent.
     *
     * @throws DamagedRunException when it is newer than this code reads
     */
    static int check(Path dir, String file, int declared) {
        int format = declared <= 0 ? 1 : declared;
        if (format > VERSION) {
            throw new DamagedRunException(dir, file + " is in run format " + format + "; this Recursa reads formats 1 "
                    + "to " + VERSION + ": upgrade Recursa to read this run", null);
        }
        return format;
    }
}
