package org.recursa.sweep;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunStore;

/**
 * Runs the points of a sweep that are not done, through an executor, as many at once as it has slots, and prints a
 * line as each starts and ends, with how many are done and an estimate of the time left. What is done is read from
 * the run store when the runner starts and after each point ends ({@link SweepState}): a point that finished is never
 * run again; one that failed, crashed or was interrupted (in an earlier attempt) is run again, once per runner; one
 * that another process is running is waited for (and takes one of the slots meanwhile: after a kill -9 of the sweep
 * its point processes still compute on this machine), and run here only if that process ends without finishing it.
 */
public final class SweepRunner {

    /** How often the runner looks at points other processes are running, and at its own. */
    static final long POLL_MILLIS = 500;

    /**
     * How a runner ended.
     *
     * @param counts  how the sweep's points stand at the end
     * @param failed  the points that failed in this runner
     * @param seconds how long it ran
     */
    public record Result(SweepState.Counts counts, List<SweepPoint> failed, double seconds) {

        /** Whether every point of the sweep is done. */
        public boolean complete() {
            return counts.done() == counts.total();
        }
    }

    private final Sweep sweep;
    private final RunStore store;
    private final SweepExecutor executor;
    private final PrintWriter out;
    private volatile boolean stopping;

    /**
     * @param out where the progress lines go
     */
    public SweepRunner(Sweep sweep, RunStore store, SweepExecutor executor, PrintWriter out) {
        this.sweep = sweep;
        this.store = store;
        this.executor = executor;
        this.out = out;
    }

    /** Starts no more points; those running end as the executor's {@link SweepExecutor#close()} ends them. */
    public void stop() {
        stopping = true;
    }

    private record Running(SweepExecutor.Handle handle, long started) {
    }

    /**
     * Runs every point that is not done.
     *
     * @throws SweepException when a point's process reports a usage error: the plan no longer fits the installed
     *                        plugins (the remaining points are not started)
     */
    public Result run() {
        long start = System.nanoTime();
        List<SweepState.Point> initial = SweepState.of(sweep, store);
        int total = initial.size();
        int done = 0;
        Deque<SweepPoint> queue = new ArrayDeque<>();
        List<SweepPoint> waiting = new ArrayList<>();
        for (SweepState.Point point : initial) {
            switch (point.state()) {
                case DONE -> done++;
                case RUNNING -> waiting.add(point.point());
                case FAILED, PENDING -> queue.add(point.point());
            }
        }
        SweepPlan plan = sweep.plan();
        line(String.format(Locale.ROOT, "sweep %s: %d points (%d configurations x %d seeds): %d done, %d being run by "
                        + "another process, %d to run", sweep.id(), total, plan.configurations().size(),
                plan.spec().seeds().size(), done, waiting.size(), queue.size()));
        Map<String, Running> running = new LinkedHashMap<>();
        List<SweepPoint> failed = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        long lastCheck = System.nanoTime();
        while (!stopping && (!queue.isEmpty() || !running.isEmpty() || !waiting.isEmpty())) {
            // a point another process runs takes a slot too: after a kill -9 its process still computes here
            while (!stopping && running.size() + waiting.size() < executor.slots() && !queue.isEmpty()) {
                SweepPoint point = queue.removeFirst();
                if (PointLock.held(sweep, point.key())) {
                    waiting.add(point);
                    line(progress(done, total) + " wait   " + point.describe() + ": another process is running it");
                    continue;
                }
                running.put(point.key(), new Running(executor.submit(sweep, point), System.nanoTime()));
                line(progress(done, total) + " start  " + point.describe());
            }
            awaitAny(running);
            for (Running ended : new ArrayList<>(running.values())) {
                if (!ended.handle().exit().isDone()) {
                    continue;
                }
                SweepPoint point = ended.handle().point();
                running.remove(point.key());
                SweepExecutor.PointExit exit = ended.handle().exit().join();
                if (exit.code() == PointCommand.USAGE && !stopping) {
                    throw new SweepException("point " + point.describe() + " of sweep " + sweep.id() + ": "
                            + exit.detail().replaceFirst("^recursa: ", "") + " (log: " + sweep.log(point.key()) + ")");
                }
                if (exit.code() == PointCommand.BUSY) {
                    waiting.add(point);
                    line(progress(done, total) + " wait   " + point.describe() + ": another process is running it");
                    continue;
                }
                SweepState.Point now = state(point);
                double seconds = (System.nanoTime() - ended.started()) / 1e9;
                if (now.state() == SweepState.State.DONE) {
                    done++;
                    durations.add(seconds);
                    line(progress(done, total) + " done   " + point.describe() + ": " + finished(now, seconds)
                            + "; " + eta(total - done - failed.size(), durations));
                } else if (!stopping) {
                    failed.add(point);
                    String why = !exit.detail().isBlank() ? exit.detail().replaceFirst("^recursa: ", "")
                            : now.last().map(r -> r.status().id() + Optional.ofNullable(r.reason()).map(s -> ": " + s)
                            .orElse("")).orElse("exit code " + exit.code());
                    line(progress(done, total) + " FAILED " + point.describe() + ": " + why + " (log: "
                            + sweep.log(point.key()) + ")");
                }
            }
            if (!waiting.isEmpty() && System.nanoTime() - lastCheck > TimeUnit.SECONDS.toNanos(2)) {
                lastCheck = System.nanoTime();
                for (SweepPoint point : new ArrayList<>(waiting)) {
                    if (PointLock.held(sweep, point.key())) {
                        continue;
                    }
                    SweepState.Point now = state(point);
                    if (now.state() == SweepState.State.RUNNING) {
                        continue;
                    }
                    waiting.remove(point);
                    if (now.state() == SweepState.State.DONE) {
                        done++;
                        line(progress(done, total) + " done   " + point.describe() + ": run " + now.finished()
                                .orElseThrow().id() + " finished by another process");
                    } else {
                        queue.addFirst(point);
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SweepState.Counts counts = SweepState.counts(SweepState.of(sweep, store));
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "sweep %s: %d of %d points done (%s)",
                sweep.id(), counts.done(), counts.total(), duration(seconds)));
        if (counts.done() < counts.total()) {
            summary.append("; ").append(counts);
            if (counts.failed() + counts.pending() > 0) {
                summary.append("; 'recursa sweep resume ").append(sweep.id()).append("' runs the rest");
            }
        }
        line(summary.toString());
        return new Result(counts, failed, seconds);
    }

    private SweepState.Point state(SweepPoint point) {
        List<SweepState.RunRef> runs = SweepState.runs(store, sweep.plan().created())
                .getOrDefault(sweep.id(), Map.of()).getOrDefault(point.key(), List.of());
        return SweepState.point(sweep, point, runs);
    }

    /** {@code run 2026...-copy-mor-1a2b in 12.3 s, test-id seq acc 0.9961}. */
    private String finished(SweepState.Point point, double seconds) {
        String id = point.finished().orElseThrow().id();
        String text = "run " + id + " in " + String.format(Locale.ROOT, "%.1f s", seconds);
        try {
            Optional<FinalRecord> end = store.open(id).end();
            if (end.isPresent() && !end.get().splits().isEmpty()) {
                Map.Entry<String, FinalRecord.SplitResult> first = end.get().splits().entrySet().iterator().next();
                text += String.format(Locale.ROOT, ", %s seq acc %.4f", first.getKey(), first.getValue().seqAcc());
            }
        } catch (RuntimeException unreadable) {
            // the line is for people; show shows the run's damage
        }
        return text;
    }

    private static void awaitAny(Map<String, Running> running) {
        try {
            if (running.isEmpty()) {
                Thread.sleep(POLL_MILLIS);
                return;
            }
            CompletableFuture.anyOf(running.values().stream().map(r -> r.handle().exit())
                    .toArray(CompletableFuture[]::new)).get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // polled; an executor failure shows as the point's exit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SweepException("interrupted while running sweep points", e);
        }
    }

    private static String progress(int done, int total) {
        return "[" + done + "/" + total + "]";
    }

    /** {@code ETA 3 min 10 s}: points left times the mean time per point so far, over the slots. */
    private String eta(int left, List<Double> durations) {
        if (left <= 0) {
            return "none left";
        }
        double mean = durations.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return "ETA " + duration(left * mean / Math.min(executor.slots(), left));
    }

    /** {@code 45 s}, {@code 3 min 05 s}, {@code 2 h 10 min}. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "unknown";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    private void line(String text) {
        out.println(text);
        out.flush();
    }
}
