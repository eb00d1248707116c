package org.recursa.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunStore;

/**
 * The finished runs of a sweep summarised across seeds: per configuration (a grid point with its random draw, the
 * seed left out) and per evaluated split, the {@link Stats} of sequence and token accuracy over the seeds whose run
 * finished, and of sequence accuracy per value of each feature the final records break down
 * ({@code splits.<split>.by_feature}). A point with several finished runs (possible only if runs were started by hand
 * with its tags) counts once, with its first finished run.
 *
 * @param plan   the sweep's plan
 * @param points how every point stands
 * @param groups one per configuration, in plan order
 * @param notes  runs that could not be read, and were left out
 */
public record SweepAggregate(SweepPlan plan, List<SweepState.Point> points, List<Group> groups, List<String> notes) {

    /** Copies the lists. */
    public SweepAggregate {
        points = List.copyOf(points);
        groups = List.copyOf(groups);
        notes = List.copyOf(notes);
    }

    /**
     * One configuration.
     *
     * @param config its label
     * @param values its swept values
     * @param points how many points (seeds) it has
     * @param runs   its finished runs that were read, in seed order
     * @param splits split name to its statistics, in the order of the final records
     * @param depths inference depth (ascending), then split, then its statistics over the seeds whose runs were
     *               evaluated at that depth ({@code eval.recursions}); empty when none was
     * @param compute training steps, seconds and multiply-adds over the seeds
     */
    public record Group(String config, Map<String, String> values, int points, List<Run> runs,
                        Map<String, Split> splits, Map<Integer, Map<String, Split>> depths, Compute compute) {

        /** Copies. */
        public Group {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            runs = List.copyOf(runs);
            splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
            depths = Collections.unmodifiableMap(new TreeMap<>(depths));
        }
    }

    /**
     * What training cost, over the seeds.
     *
     * @param steps          optimiser steps taken
     * @param seconds        training wall-clock seconds
     * @param flops          training multiply-adds, or null when no run recorded them
     * @param fullDepthFlops the same steps at full depth, or null
     */
    public record Compute(Stats steps, Stats seconds, Stats flops, Stats fullDepthFlops) {

        static Compute of(List<FinalRecord> records) {
            double[] steps = records.stream().filter(r -> r.steps() != null).mapToDouble(FinalRecord::steps)
                    .toArray();
            double[] seconds = records.stream().filter(r -> r.seconds() != null).mapToDouble(FinalRecord::seconds)
                    .toArray();
            double[] flops = records.stream().filter(r -> r.training() != null)
                    .mapToDouble(r -> r.training().flops()).toArray();
            double[] full = records.stream().filter(r -> r.training() != null)
                    .mapToDouble(r -> r.training().fullDepthFlops()).toArray();
            return new Compute(steps.length == 0 ? null : Stats.of(steps), seconds.length == 0 ? null
                    : Stats.of(seconds), flops.length == 0 ? null : Stats.of(flops),
                    full.length == 0 ? null : Stats.of(full));
        }
    }

    /**
     * A finished run counted in a group.
     *
     * @param point its point
     * @param seed  its seed
     * @param id    its run id
     */
    public record Run(String point, long seed, String id) {
    }

    /**
     * One split of one configuration.
     *
     * @param seqAcc         sequence accuracy over the seeds
     * @param tokenAcc       token accuracy over the seeds
     * @param byFeature      feature, then value (numbers in ascending order), then the sequence accuracy over the
     *                       seeds whose runs had examples with that value
     * @param distinctInputs the fewest and the most distinct inputs a seed's split held ({@code null} when no run
     *                       recorded them): each seed draws its own held-out inputs, so the counts differ
     * @param seqAccDistinct sequence accuracy per distinct input (each input counted once) over the seeds whose runs
     *                       recorded it, {@code null} when none did
     */
    public record Split(Stats seqAcc, Stats tokenAcc, Map<String, Map<String, Stats>> byFeature,
                        Range distinctInputs, Stats seqAccDistinct) {
    }

    /**
     * The smallest and largest of some counts.
     *
     * @param min the smallest
     * @param max the largest
     */
    public record Range(int min, int max) {

        /** {@code 224} when both ends agree, else {@code 224..240}. */
        @Override
        public String toString() {
            return min == max ? Integer.toString(min) : min + ".." + max;
        }
    }

    /** How many points stand how. */
    public SweepState.Counts counts() {
        return SweepState.counts(points);
    }

    /** Every split name, in the order the groups' records list them. */
    public List<String> splits() {
        List<String> splits = new ArrayList<>();
        groups.forEach(g -> g.splits().keySet().stream().filter(s -> !splits.contains(s)).forEach(splits::add));
        return splits;
    }

    /** Reads the sweep's state and the final records of its finished runs. */
    public static SweepAggregate of(Sweep sweep, RunStore store) {
        List<SweepState.Point> points = SweepState.of(sweep, store);
        List<String> notes = new ArrayList<>();
        List<Group> groups = new ArrayList<>();
        for (String config : sweep.plan().configurations()) {
            List<SweepState.Point> members = points.stream().filter(p -> p.point().config().equals(config)).toList();
            List<Run> runs = new ArrayList<>();
            List<FinalRecord> records = new ArrayList<>();
            for (SweepState.Point member : members.stream()
                    .sorted(Comparator.comparingLong(p -> p.point().seed())).toList()) {
                Optional<SweepState.RunRef> finished = member.finished();
                if (finished.isEmpty()) {
                    continue;
                }
                try {
                    records.add(store.open(finished.get().id()).end().orElseThrow());
                    runs.add(new Run(member.point().key(), member.point().seed(), finished.get().id()));
                } catch (RuntimeException unreadable) {
                    notes.add("run " + finished.get().id() + " of point " + member.point().key() + " was left out: "
                            + unreadable.getMessage());
                }
            }
            groups.add(new Group(config, members.get(0).point().values(), members.size(), runs,
                    splits(records.stream().map(FinalRecord::splits).toList()), depths(records), Compute.of(records)));
        }
        return new SweepAggregate(sweep.plan(), points, groups, notes);
    }

    /** The statistics of every split over the seeds' results (one split-to-result map per seed). */
    static Map<String, Split> splits(List<Map<String, FinalRecord.SplitResult>> seeds) {
        Map<String, List<FinalRecord.SplitResult>> bySplit = new LinkedHashMap<>();
        for (Map<String, FinalRecord.SplitResult> seed : seeds) {
            seed.forEach((split, result) -> bySplit.computeIfAbsent(split, s -> new ArrayList<>()).add(result));
        }
        Map<String, Split> splits = new LinkedHashMap<>();
        bySplit.forEach((split, results) -> {
            Map<String, Map<String, List<Double>>> cells = new LinkedHashMap<>();
            for (FinalRecord.SplitResult result : results) {
                result.byFeature().forEach((feature, values) -> values.forEach((value, cell) -> cells
                        .computeIfAbsent(feature, f -> new TreeMap<>(SweepAggregate::compareValues))
                        .computeIfAbsent(value, v -> new ArrayList<>()).add(cell.seqAcc())));
            }
            Map<String, Map<String, Stats>> byFeature = new LinkedHashMap<>();
            cells.forEach((feature, values) -> {
                Map<String, Stats> stats = new LinkedHashMap<>();
                values.forEach((value, accuracies) -> stats.put(value, Stats.of(array(accuracies))));
                byFeature.put(feature, stats);
            });
            splits.put(split, new Split(Stats.of(results.stream().mapToDouble(FinalRecord.SplitResult::seqAcc)
                    .toArray()), Stats.of(results.stream().mapToDouble(FinalRecord.SplitResult::tokenAcc).toArray()),
                    byFeature, distinctInputs(results), seqAccDistinct(results)));
        });
        return splits;
    }

    /** Per inference depth, the statistics of every split over the records evaluated at that depth. */
    static Map<Integer, Map<String, Split>> depths(List<FinalRecord> records) {
        Map<Integer, List<Map<String, FinalRecord.SplitResult>>> byDepth = new TreeMap<>();
        for (FinalRecord record : records) {
            if (record.depths() != null) {
                record.depths().forEach((depth, splits) -> byDepth.computeIfAbsent(Integer.parseInt(depth),
                        d -> new ArrayList<>()).add(splits));
            }
        }
        Map<Integer, Map<String, Split>> depths = new TreeMap<>();
        byDepth.forEach((depth, atDepth) -> depths.put(depth, splits(atDepth)));
        return depths;
    }

    /** The range of the recorded distinct-input counts; runs recorded before the counts existed are left out. */
    private static Range distinctInputs(List<FinalRecord.SplitResult> results) {
        int[] counts = results.stream().map(FinalRecord.SplitResult::distinctInputs).filter(c -> c != null)
                .mapToInt(Integer::intValue).toArray();
        return counts.length == 0 ? null
                : new Range(Arrays.stream(counts).min().orElseThrow(),
                Arrays.stream(counts).max().orElseThrow());
    }

    private static Stats seqAccDistinct(List<FinalRecord.SplitResult> results) {
        double[] accuracies = results.stream().map(FinalRecord.SplitResult::seqAccDistinct).filter(a -> a != null)
                .mapToDouble(Double::doubleValue).toArray();
        return accuracies.length == 0 ? null : Stats.of(accuracies);
    }

    /** Feature values are numbers as text: by number when both are, else as text. */
    static int compareValues(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
