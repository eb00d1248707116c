package org.recursa.sweep;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code sweeps/<id>/plan.json}: what the sweep asked for and every point it expanded to, written once when the
 * sweep is created and never changed. How far the sweep has got is not recorded here: it is derived from the run
 * store ({@link SweepState}).
 *
 * @param format    plan format version ({@link #FORMAT})
 * @param id        the sweep id
 * @param createdAt ISO-8601 instant
 * @param spec      what was asked
 * @param points    every point, in the order they are run
 */
public record SweepPlan(int format, String id, String createdAt, SweepSpec spec, List<SweepPoint> points) {

    /** The plan format this Recursa writes and reads. */
    public static final int FORMAT = 1;

    /** Copies the points. */
    public SweepPlan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        points = List.copyOf(points);
    }

    /** The plan of {@code spec}, expanded now. */
    public static SweepPlan of(String id, Instant createdAt, SweepSpec spec) {
        return new SweepPlan(FORMAT, id, createdAt.toString(), spec, SweepPlanner.points(spec));
    }

    /** The configuration labels, in the order of their first point. */
    public List<String> configurations() {
        List<String> labels = new ArrayList<>();
        points.stream().map(SweepPoint::config).filter(l -> !labels.contains(l)).forEach(labels::add);
        return labels;
    }

    /** The point with that key. */
    public SweepPoint point(String key) {
        return points.stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new UnknownSweepException("sweep " + id + " has no point '" + key + "'; its points "
                        + "are " + points.get(0).key() + " to " + points.get(points.size() - 1).key()));
    }

    /** Whether {@code other} asks for the same runs: same spec, same points (ids and times may differ). */
    public boolean samePoints(SweepPlan other) {
        return spec.equals(other.spec) && points.equals(other.points);
    }

    /** When the sweep was created. */
    public Instant created() {
        return Instant.parse(createdAt);
    }
}
