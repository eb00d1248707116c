package org.recursa.sweep;

import java.nio.file.Path;

/**
 * A sweep on disk: its directory {@code sweeps/<id>/} and its plan. Beside {@code plan.json} the directory holds
 * {@code locks/<point>.lock} (held by the process running the point) and {@code logs/<point>.log} (what the point's
 * processes printed, one attempt after the other).
 *
 * @param dir  the sweep directory
 * @param plan its plan
 */
public record Sweep(Path dir, SweepPlan plan) {

    /** The sweep id. */
    public String id() {
        return plan.id();
    }

    /** The lock file of a point. */
    public Path lock(String key) {
        return dir.resolve("locks").resolve(key + ".lock");
    }

    /** The log of a point's processes. */
    public Path log(String key) {
        return dir.resolve("logs").resolve(key + ".log");
    }
}
