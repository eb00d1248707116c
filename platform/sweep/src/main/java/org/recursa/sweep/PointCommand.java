package org.recursa.sweep;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.recursa.runstore.RunStore;

/**
 * Running one point, in the process an executor started for it: {@code recursa sweep run-point <sweep> <point>}.
 * The process takes the point's lock ({@link PointLock}) before anything else and holds it until it ends; with the
 * lock, it looks in the run store once more, and runs the point (as {@code recursa run} with the point's settings,
 * seed and tags) only if no run of it has finished. So however many sweep processes resume one sweep, and whatever
 * was killed when, a point is never run by two processes at once and never again once it has finished.
 */
public final class PointCommand {

    /** The subcommand of {@code recursa sweep} that runs one point. */
    public static final String NAME = "run-point";

    /** Exit code: another process holds the point's lock (it is running the point). */
    public static final int BUSY = 75;
    /** Exit code of {@code recursa} for a usage error: the plan no longer fits the installed plugins. */
    public static final int USAGE = 2;

    private PointCommand() {
    }

    /** The arguments of {@code recursa} (after the global options) that run the point. */
    public static List<String> arguments(Sweep sweep, SweepPoint point) {
        return List.of("sweep", NAME, sweep.id(), point.key());
    }

    /** The arguments of {@code recursa} that train the point: {@code run --task ... --tag sweep=<id> ...}. */
    public static List<String> runArguments(SweepPlan plan, SweepPoint point) {
        SweepSpec spec = plan.spec();
        List<String> args = new ArrayList<>(List.of("run", "--task", spec.task(), "--arch", point.arch(),
                "--sampler", spec.sampler(), "--mode", spec.mode(), "--seed", Long.toString(point.seed())));
        point.settings().forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
        for (Map.Entry<String, String> tag : point.tags(plan.id()).entrySet()) {
            args.addAll(List.of("--tag", tag.getKey() + "=" + tag.getValue()));
        }
        return args;
    }

    /**
     * Runs one point in this process.
     *
     * @param run runs {@code recursa} with the given arguments in this process and returns its exit code
     * @return 0 when the point has finished (now or before), {@link #BUSY} when another process holds its lock, else
     *         the exit code of the run
     */
    public static int execute(Sweep sweep, String key, RunStore store, PrintWriter out,
                              ToIntFunction<List<String>> run) {
        SweepPoint point = sweep.plan().point(key);
        Optional<PointLock> lock = PointLock.tryHold(sweep, key);
        if (lock.isEmpty()) {
            out.println("point " + point.describe() + " of sweep " + sweep.id() + " is being run by another process");
            out.flush();
            return BUSY;
        }
        try (PointLock held = lock.get()) {
            List<SweepState.RunRef> runs = SweepState.runs(store, sweep.plan().created())
                    .getOrDefault(sweep.id(), Map.of()).getOrDefault(key, List.of());
            Optional<SweepState.RunRef> finished = runs.stream()
                    .filter(r -> r.status() == org.recursa.runstore.RunStatus.FINISHED).findFirst();
            if (finished.isPresent()) {
                out.println("point " + point.describe() + " already finished: run " + finished.get().id());
                out.flush();
                return 0;
            }
            out.println("point " + point.describe() + " of sweep " + sweep.id() + ", attempt " + (runs.size() + 1));
            out.flush();
            return run.applyAsInt(runArguments(sweep.plan(), point));
        }
    }
}
