package org.recursa.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a sweep asks for: one task, fixed settings, the swept keys (a grid, a random search, or both) and the seeds.
 * Every configuration (a grid point, combined with each random draw) runs once per seed.
 *
 * @param task       task id
 * @param mode       {@code io} or {@code trace}
 * @param sampler    sampler id used for evaluation
 * @param arch       the architecture when it is not swept, else null
 * @param settings   {@code --set} pairs every point gets
 * @param grid       the grid's keys, the first varying slowest
 * @param random     the random search's keys
 * @param trials     how many times the random keys are drawn (0 without random keys)
 * @param sampleSeed seeds the random draws, so that the same command draws the same configurations
 * @param seeds      the run seeds every configuration is run with
 */
public record SweepSpec(String task, String mode, String sampler, String arch, Map<String, String> settings,
                        List<GridAxis> grid, List<RandomAxis> random, int trials, long sampleSeed, List<Long> seeds) {

    /** More points than this in one sweep is taken for a typo. */
    public static final int MAX_POINTS = 100_000;

    /** Most random draws. */
    public static final int MAX_TRIALS = 10_000;

    /**
     * Copies the collections and checks that they fit together.
     *
     * @throws SweepSyntaxException one line: the architecture given twice or not at all, a key in two places, random
     *                              keys without trials or the reverse, no seeds, too many points
     */
    public SweepSpec {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(sampler, "sampler");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        grid = List.copyOf(grid);
        random = List.copyOf(random);
        seeds = List.copyOf(seeds);
        boolean archSwept = grid.stream().anyMatch(a -> a.key().equals(GridAxis.ARCH))
                || random.stream().anyMatch(a -> a.key().equals(GridAxis.ARCH));
        if (arch != null && archSwept) {
            throw new SweepSyntaxException("--arch " + arch + " and a swept 'arch' both choose the architecture; "
                    + "give one of them");
        }
        if (arch == null && !archSwept) {
            throw new SweepSyntaxException("no architecture: give --arch ID, --grid arch=ID,ID,... or --random "
                    + "arch=choice:ID,ID,...");
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String key : keys(grid, random)) {
            if (!keys.add(key)) {
                throw new SweepSyntaxException("'" + key + "' is swept twice; give each key in one --grid or --random");
            }
            if (settings.containsKey(key)) {
                throw new SweepSyntaxException("'" + key + "' is both set (--set) and swept; give it in one place");
            }
        }
        if (settings.containsKey(GridAxis.ARCH)) {
            throw new SweepSyntaxException("--set arch=...: choose the architecture with --arch ID or --grid arch=...");
        }
        if (!random.isEmpty() && trials < 1) {
            throw new SweepSyntaxException("--random needs --trials N, the number of draws");
        }
        if (random.isEmpty() && trials != 0) {
            throw new SweepSyntaxException("--trials needs at least one --random KEY=DISTRIBUTION to draw");
        }
        if (trials > MAX_TRIALS) {
            throw new SweepSyntaxException("--trials " + trials + ": at most " + MAX_TRIALS);
        }
        if (seeds.isEmpty()) {
            throw new SweepSyntaxException("--seeds: give at least one seed");
        }
        long configurations = Math.max(1, trials);
        for (GridAxis axis : grid) {
            configurations *= axis.values().size();
            if (configurations * seeds.size() > MAX_POINTS) {
                break;
            }
        }
        if (configurations * seeds.size() > MAX_POINTS) {
            throw new SweepSyntaxException("the sweep has more than " + String.format("%,d", MAX_POINTS)
                    + " points (configurations x seeds); split it or sweep fewer values");
        }
    }

    private static List<String> keys(List<GridAxis> grid, List<RandomAxis> random) {
        List<String> keys = new ArrayList<>();
        grid.forEach(a -> keys.add(a.key()));
        random.forEach(a -> keys.add(a.key()));
        return keys;
    }

    /** The swept keys, grid first, in the order given. */
    public List<String> sweptKeys() {
        return keys(grid, random);
    }
}
