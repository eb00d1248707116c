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
import org.recursa.api.task.Vocabulary;

/**
 * Addition on unary naturals {@code Z | S n} by recursion on the first argument:
 * {@code add Z m = m}, {@code add (S n) m = S (add n m)}. Out of distribution: larger operands.
 */
public final class PeanoAddTask extends RewritingTask {

    static final String OOD_SIZE = "test-ood-size";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("max_value", 5, 1, 256, "largest operand in train and test-id"),
            Setting.ofInt("ood_value", 9, 2, 512, "largest operand in test-ood-size (one operand exceeds max_value)"));

    /** Creates the task; it holds no state. */
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
    public Vocabulary vocabulary(Config config) {
        return Vocabulary.of(List.of("add", "S", "Z"));
    }

    @Override
    public List<Split> splits(Config config) {
        return List.of(
                new Split(Split.TRAIN, "operands 0.." + config.getInt("max_value"), false),
                new Split(Split.TEST_ID, "held out, same distribution as train", false),
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
                n = between(random, 0, max);
                m = between(random, 0, max);
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

    static List<String> unary(int n) {
        List<String> tokens = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            tokens.add("S");
        }
        tokens.add("Z");
        return tokens;
    }
}
