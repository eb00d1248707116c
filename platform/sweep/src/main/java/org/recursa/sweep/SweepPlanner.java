package org.recursa.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Expands a {@link SweepSpec} into its configurations and points. Pure: the same spec gives the same points, in the
 * same order, with the same keys; random draws come from {@link SweepSpec#sampleSeed()} alone.
 *
 * <p>Configurations are the grid's cartesian product (the first key varying slowest) combined with each of the
 * {@code trials} random draws; a draw that repeats an earlier configuration is kept once. Points are
 * configurations x seeds, ordered seed by seed (every configuration with the first seed, then with the second...),
 * so that a sweep stopped half-way has compared every configuration on the same seeds.
 */
public final class SweepPlanner {

    private SweepPlanner() {
    }

    /** The configurations, grid point by grid point, each with its random draws in order. */
    public static List<Configuration> configurations(SweepSpec spec) {
        List<Map<String, String>> gridPoints = new ArrayList<>();
        gridPoints.add(new LinkedHashMap<>());
        for (GridAxis axis : spec.grid()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> point : gridPoints) {
                for (String value : axis.values()) {
                    Map<String, String> extended = new LinkedHashMap<>(point);
                    extended.put(axis.key(), value);
                    next.add(extended);
                }
            }
            gridPoints = next;
        }
        List<Map<String, String>> draws = draws(spec);
        Set<Map<String, String>> seen = new LinkedHashSet<>();
        List<Configuration> configurations = new ArrayList<>();
        for (Map<String, String> gridPoint : gridPoints) {
            for (Map<String, String> draw : draws) {
                Map<String, String> values = new LinkedHashMap<>(gridPoint);
                values.putAll(draw);
                if (seen.add(values)) {
                    configurations.add(configuration(spec, values));
                }
            }
        }
        return configurations;
    }

    /** The random keys' values of each trial; one empty draw without random keys. */
    private static List<Map<String, String>> draws(SweepSpec spec) {
        List<Map<String, String>> draws = new ArrayList<>();
        if (spec.random().isEmpty()) {
            draws.add(Map.of());
            return draws;
        }
        SplittableRandom random = new SplittableRandom(spec.sampleSeed());
        for (int trial = 0; trial < spec.trials(); trial++) {
            Map<String, String> draw = new LinkedHashMap<>();
            for (RandomAxis axis : spec.random()) {
                draw.put(axis.key(), axis.draw(random));
            }
            draws.add(draw);
        }
        return draws;
    }

    private static Configuration configuration(SweepSpec spec, Map<String, String> values) {
        Map<String, String> settings = new LinkedHashMap<>(spec.settings());
        values.forEach((key, value) -> {
            if (!key.equals(GridAxis.ARCH)) {
                settings.put(key, value);
            }
        });
        String arch = values.getOrDefault(GridAxis.ARCH, spec.arch());
        List<String> parts = new ArrayList<>();
        values.forEach((key, value) -> parts.add(key + "=" + value));
        String label = parts.isEmpty() ? Configuration.BASE : String.join(" ", parts);
        return new Configuration(label, arch, values, settings);
    }

    /** Every point: each configuration with each seed, seed by seed; keys {@code p001}, {@code p002}, ... */
    public static List<SweepPoint> points(SweepSpec spec) {
        List<Configuration> configurations = configurations(spec);
        int total = configurations.size() * spec.seeds().size();
        int width = Math.max(3, Integer.toString(total).length());
        List<SweepPoint> points = new ArrayList<>();
        for (long seed : spec.seeds()) {
            for (Configuration configuration : configurations) {
                String key = String.format(Locale.ROOT, "p%0" + width + "d", points.size() + 1);
                points.add(new SweepPoint(key, configuration.label(), configuration.arch(), seed,
                        configuration.values(), configuration.settings()));
            }
        }
        return points;
    }
}
