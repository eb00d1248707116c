package org.recursa.sweep;

import java.util.concurrent.CompletableFuture;

/**
 * Where the points of a sweep run: the seam between deciding what to run ({@link SweepRunner}, which reads the
 * plan and the run store) and running it. An executor runs one point as {@code recursa sweep run-point <sweep>
 * <point>} against the sweep's home ({@link PointCommand}), which takes the point's lock, runs it unless it has
 * finished meanwhile, and records the run in the run store; the executor only starts it, reports how it ended,
 * and stops it when asked. {@link LocalSweepExecutor} starts child processes on this machine; the Spark executor
 * (platform/spark) holds the point's lock in the driver, trains the point with {@code recursa run} on an executor
 * node, and imports the finished run into this home's run store (docs/sweeps.md).
 */
public interface SweepExecutor extends AutoCloseable {

    /** How many points it runs at once; the runner never submits more. */
    int slots();

    /**
     * Starts one point and returns at once.
     *
     * @throws SweepException when the point cannot be started at all (for example no process can be created)
     */
    Handle submit(Sweep sweep, SweepPoint point);

    /**
     * Stops every point still running, so that their runs are recorded as interrupted, and waits for them to end.
     */
    @Override
    void close();

    /** One submitted point. */
    interface Handle {

        /** The point. */
        SweepPoint point();

        /** Completes when the point's process has ended. */
        CompletableFuture<PointExit> exit();

        /** Asks the point's process to stop; its run is then recorded as interrupted. */
        void cancel();

        /** A handle of {@code point} that ends with {@code exit} and stops it with {@code cancel}. */
        static Handle of(SweepPoint point, CompletableFuture<PointExit> exit, Runnable cancel) {
            return new Handle() {
                @Override
                public SweepPoint point() {
                    return point;
                }

                @Override
                public CompletableFuture<PointExit> exit() {
                    return exit;
                }

                @Override
                public void cancel() {
                    cancel.run();
                }
            };
        }
    }

    /**
     * How a point's process ended.
     *
     * @param code   its exit code ({@link PointCommand#BUSY} when another process was running the point)
     * @param detail the last thing it said, for a message when it failed (may be empty)
     */
    record PointExit(int code, String detail) {
    }
}
