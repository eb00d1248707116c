package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.task.Split;

/**
 * Addition on unary naturals {@code Z | S n} by recursion on the first argument:
 * {@code add Z m = m}, {@code add (S n) m = S (add n m)}. Out of distribution: larger operands.
 *
 * <p>The in-distribution space is small ({@code (max_value + 1)²} pairs, 169 by default), so the task partitions it
 * itself: a fixed share {@code held_out} of the pairs, chosen by a seeded shuffle of the enumerated pairs (the same
 * for every run seed, like a benchmark's published split), is never drawn for training, and test-id draws only
 * from it. Neither part is ever empty.
 */
public final class PeanoAddTask extends RewritingTask {

    static final String OOD_SIZE = "test-ood-size";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("max_value", 12, 1, 256, "largest operand in train and test-id"),
            Setting.ofInt("ood_value", 16, 2, 512, "largest operand in test-ood-size (one operand exceeds max_value)"),
            Setting.ofDouble("held_out", 0.25, 0.01, 0.99,
                    "share of the operand pairs 0..max_value that training never draws; test-id draws only these"),
            TRACE_STEPS);

    /** Seeds the shuffle that partitions the pairs; fixed, so that every seed of a run shares the partition. */
    private static final long PARTITION_SEED = 0x5DEECE66DL;

    /** The last partition computed, by side length: a cache, since the partition is a function of max_value. */
    private volatile int[] cachedOrder = new int[0];

    /** Creates the task; it holds no state but a cache of its partition. */
    public PeanoAddTask() {
    }

    @Override
    public String id() {
        return "peano-add";
    }

    @Override
    public String description() {
        return "Addition of unary naturals (Z | S n) by recursion on the first argument; OOD by operand size";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    List<String> symbols() {
        return List.of("add", "S", "Z");
    }

    @Override
    List<Definition> definitions() {
        return List.of(new Definition("add", List.of("n", "m"), List.of(
                new Definition.Equation("Z", List.of(), "m"),
                new Definition.Equation("S", List.of("p"), "S add p m"))));
    }

    /** Every training pair is drawn many times over (about 16 times each with the defaults' 127 pairs). */
    @Override
    public int trainingExamples(Config config) {
        return 2_000;
    }

    @Override
    public List<Split> splits(Config config) {
        int pairs = (config.getInt("max_value") + 1) * (config.getInt("max_value") + 1);
        int heldOut = heldOutCount(config);
        return List.of(
                new Split(Split.TRAIN, "operands 0.." + config.getInt("max_value") + ", " + (pairs - heldOut)
                        + " of the " + pairs + " pairs", false),
                new Split(Split.TEST_ID, "operands 0.." + config.getInt("max_value") + ", the other " + heldOut
                        + " pairs, held out from training", false),
                new Split(OOD_SIZE, "an operand in " + (config.getInt("max_value") + 1) + ".." + config.getInt("ood_value"),
                        true));
    }

    @Override
    void validate(Config config) {
        if (config.getInt("ood_value") <= config.getInt("max_value")) {
            throw new ConfigException("setting 'ood_value' (" + config.getInt("ood_value") + ") must exceed 'max_value' ("
                    + config.getInt("max_value") + ")");
        }
    }

    @Override
    int arity(String token) {
        return switch (token) {
            case "Z" -> 0;
            case "S" -> 1;
            case "add" -> 2;
            default -> -1;
        };
    }

    @Override
    Optional<Rewrite> rewrite(List<String> term, int at) {
        if (!term.get(at).equals("add") || at + 1 >= term.size()) {
            return Optional.empty();
        }
        int end = Terms.end(term, at, this::arity);
        return switch (term.get(at + 1)) {
            case "Z" -> Optional.of(new Rewrite("iota:add/Z", end, term.subList(at + 2, end)));
            case "S" -> Optional.of(new Rewrite("iota:add/S", end,
                    Terms.concat(List.of("S", "add"), term.subList(at + 2, end))));
            default -> Optional.empty();
        };
    }

    @Override
    List<String> sample(Config config, String split, SplittableRandom random) {
        int max = config.getInt("max_value");
        int n;
        int m;
        switch (split) {
            case Split.TRAIN, Split.TEST_ID -> {
                int[] order = partition(config);
                int heldOut = heldOutCount(config);
                int pick = split.equals(Split.TEST_ID) ? random.nextInt(heldOut)
                        : heldOut + random.nextInt(order.length - heldOut);
                n = order[pick] / (max + 1);
                m = order[pick] % (max + 1);
            }
            case OOD_SIZE -> {
                int large = between(random, max + 1, config.getInt("ood_value"));
                int other = between(random, 0, config.getInt("ood_value"));
                boolean first = random.nextBoolean();
                n = first ? large : other;
                m = first ? other : large;
            }
            default -> throw new IllegalArgumentException(split);
        }
        List<String> term = new ArrayList<>();
        term.add("add");
        term.addAll(unary(n));
        term.addAll(unary(m));
        return term;
    }

    @Override
    Map<String, Integer> features(Config config, List<String> input) {
        int n = input.subList(1, input.indexOf("Z")).size();
        int m = input.size() - 3 - n;
        return Map.of("n", n, "m", m, "size", n + m);
    }

    /**
     * The pairs {@code n * (max_value + 1) + m} in a fixed shuffled order: the first {@link #heldOutCount} are held
     * out, the rest are the training part.
     */
    int[] partition(Config config) {
        int side = config.getInt("max_value") + 1;
        int[] cached = cachedOrder;
        if (cached.length == side * side) {
            return cached;
        }
        int[] order = new int[side * side];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(PARTITION_SEED);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        cachedOrder = order;
        return order;
    }

    /** How many pairs are held out: {@code held_out} of them, rounded, and at least one on each side. */
    static int heldOutCount(Config config) {
        int pairs = (config.getInt("max_value") + 1) * (config.getInt("max_value") + 1);
        return Math.max(1, Math.min(pairs - 1, (int) Math.round(config.getDouble("held_out") * pairs)));
    }

    static List<String> unary(int n) {
        List<String> tokens = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            tokens.add("S");
        }
        tokens.add("Z");
        return tokens;
    }
}
