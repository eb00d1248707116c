package org.recursa.sweep;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.StoredRun;

/**
 * How the points of a sweep stand, derived from the run store (the truth about runs) and the point locks (the
 * truth about who is running a point); nothing about progress is stored with the sweep. A run belongs to a point
 * by its tags {@code sweep} and {@code sweep.point} ({@link SweepPoint#tags}).
 *
 * <ul>
 *   <li>{@code done}: a run of the point finished;</li>
 *   <li>{@code running}: a run of it is running, or a process holds its lock (a run about to start);</li>
 *   <li>{@code failed}: its runs all ended otherwise: failed, interrupted, or crashed (the process died), and
 *   nobody runs it now; running the sweep again redoes it;</li>
 *   <li>{@code pending}: it has no run.</li>
 * </ul>
 */
public final class SweepState {

    /** How one point stands. */
    public enum State {
        DONE, RUNNING, FAILED, PENDING;

        /** The lower-case name shown to users. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One run of a point.
     *
     * @param id     run id
     * @param status how it stands, crashes included
     * @param reason why it failed or crashed, or null
     */
    public record RunRef(String id, RunStatus status, String reason) {
    }

    /**
     * One point and its runs.
     *
     * @param point the point
     * @param state how it stands
     * @param runs  its runs, oldest first
     */
    public record Point(SweepPoint point, State state, List<RunRef> runs) {

        /** Copies the runs. */
        public Point {
            runs = List.copyOf(runs);
        }

        /** The first run that finished, if any. */
        public Optional<RunRef> finished() {
            return runs.stream().filter(r -> r.status() == RunStatus.FINISHED).findFirst();
        }

        /** The newest run, if any. */
        public Optional<RunRef> last() {
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
        }
    }

    /**
     * How many points stand how.
     *
     * @param done    finished
     * @param running being run
     * @param pending not run yet
     * @param failed  run without finishing, not being run now
     */
    public record Counts(int done, int running, int pending, int failed) {

        /** Every point. */
        public int total() {
            return done + running + pending + failed;
        }

        /** {@code 3 done, 1 running, 4 pending, 0 failed}. */
        @Override
        public String toString() {
            return done + " done, " + running + " running, " + pending + " pending, " + failed + " failed";
        }
    }

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final Pattern TIMED_ID = Pattern.compile("\\d{8}-\\d{6}-.*");

    private SweepState() {
    }

    /**
     * The runs of every sweep: sweep id, then point key, then its runs oldest first. Only runs created since
     * {@code since} are read (run ids start with their creation time), so that a sweep does not read the whole
     * history of a large store; a run that cannot be read is skipped.
     */
    public static Map<String, Map<String, List<RunRef>>> runs(RunStore store, Instant since) {
        String from = ID_TIME.format(since);
        Map<String, Map<String, List<RunRef>>> bySweep = new TreeMap<>();
        Map<String, Long> started = new java.util.HashMap<>();
        for (String id : store.ids()) {
            if (TIMED_ID.matcher(id).matches() && id.substring(0, from.length()).compareTo(from) < 0) {
                continue;
            }
            StoredRun run;
            RunConfig config;
            try {
                run = store.open(id);
                config = run.config();
            } catch (RuntimeException unreadable) {
                continue; // being created (no config.json yet), deleted meanwhile, or damaged: not a sweep's run
            }
            String sweep = config.tags().get(SweepPoint.SWEEP_TAG);
            String point = config.tags().get(SweepPoint.POINT_TAG);
            if (sweep == null || point == null) {
                continue;
            }
            RunRef ref;
            try {
                StoredRun.State state = run.state();
                ref = new RunRef(id, state.status(), state.reason().orElse(null));
            } catch (RuntimeException damaged) {
                ref = new RunRef(id, RunStatus.FAILED, damaged.getMessage());
            }
            bySweep.computeIfAbsent(sweep, s -> new TreeMap<>()).computeIfAbsent(point, p -> new ArrayList<>())
                    .add(ref);
            started.put(id, startMillis(config));
        }
        // Ids order runs by their second only; two attempts of a point in one second would otherwise come in the
        // order of their random suffixes.
        Comparator<RunRef> oldestFirst = Comparator.comparing((RunRef r) -> started.get(r.id()))
                .thenComparing(RunRef::id);
        bySweep.values().forEach(points -> points.values().forEach(refs -> refs.sort(oldestFirst)));
        return bySweep;
    }

    /** When a run started, from its config; a damaged start time sorts last, after every dated attempt. */
    private static long startMillis(RunConfig config) {
        try {
            return config.startMillis();
        } catch (RuntimeException unparsable) {
            return Long.MAX_VALUE;
        }
    }

    /** How every point of the sweep stands now, in plan order. */
    public static List<Point> of(Sweep sweep, RunStore store) {
        return of(sweep, runs(store, sweep.plan().created()).getOrDefault(sweep.id(), Map.of()));
    }

    /** How every point stands, given the sweep's runs by point ({@link #runs}). */
    public static List<Point> of(Sweep sweep, Map<String, List<RunRef>> runsByPoint) {
        List<Point> points = new ArrayList<>();
        for (SweepPoint point : sweep.plan().points()) {
            points.add(point(sweep, point, runsByPoint.getOrDefault(point.key(), List.of())));
        }
        return points;
    }

    /** How one point stands, given its runs. */
    public static Point point(Sweep sweep, SweepPoint point, List<RunRef> runs) {
        State state;
        if (runs.stream().anyMatch(r -> r.status() == RunStatus.FINISHED)) {
            state = State.DONE;
        } else if (runs.stream().anyMatch(r -> r.status() == RunStatus.RUNNING) || PointLock.held(sweep, point.key())) {
            state = State.RUNNING;
        } else if (!runs.isEmpty()) {
            state = State.FAILED;
        } else {
            state = State.PENDING;
        }
        return new Point(point, state, runs);
    }

    /** How many points stand how. */
    public static Counts counts(List<Point> points) {
        Map<State, Integer> counts = new LinkedHashMap<>();
        points.forEach(p -> counts.merge(p.state(), 1, Integer::sum));
        return new Counts(counts.getOrDefault(State.DONE, 0), counts.getOrDefault(State.RUNNING, 0),
                counts.getOrDefault(State.PENDING, 0), counts.getOrDefault(State.FAILED, 0));
    }
}
