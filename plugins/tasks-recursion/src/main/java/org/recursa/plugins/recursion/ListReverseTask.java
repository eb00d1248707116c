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
import org.recursa.api.task.TokenFeature;

/**
 * Reversal of a cons list {@code N | C x xs} by structural recursion, append written as juxtaposition:
 * {@code rev N = .}, {@code rev (C x xs) = rev xs x}. Training lists have 0 (the base case {@code rev N}) to
 * {@code max_length} elements. Out of distribution, and outside the training support: longer lists.
 */
public final class ListReverseTask extends RewritingTask {

    static final String OOD_LENGTH = "test-ood-length";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("min_length", 0, 0, 256, "shortest list in train and test-id (0: the empty list N)"),
            Setting.ofInt("max_length", 6, 1, 256, "longest list in train and test-id"),
            Setting.ofInt("ood_length", 10, 2, 512, "longest list in test-ood-length (which starts above max_length)"),
            TRACE_STEPS);

    /** Creates the task; it holds no state. */
    public ListReverseTask() {
    }

    @Override
    public String id() {
        return "list-reverse";
    }

    @Override
    public String description() {
        return "Reverse a cons list (N | C x xs) by structural recursion; OOD by length";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    List<String> symbols() {
        return List.of("rev", "C", "N", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Override
    public List<Split> splits(Config config) {
        return List.of(
                new Split(Split.TRAIN, "lengths " + config.getInt("min_length") + ".." + config.getInt("max_length"), false),
                new Split(Split.TEST_ID, "held out (no training input), same distribution as train", false),
                new Split(OOD_LENGTH, "lengths " + (config.getInt("max_length") + 1) + ".." + config.getInt("ood_length"),
                        true));
    }

    @Override
    void validate(Config config) {
        if (config.getInt("min_length") > config.getInt("max_length")) {
            throw new ConfigException("setting 'min_length' (" + config.getInt("min_length")
                    + ") must not exceed 'max_length' (" + config.getInt("max_length") + ")");
        }
        if (config.getInt("ood_length") <= config.getInt("max_length")) {
            throw new ConfigException("setting 'ood_length' (" + config.getInt("ood_length")
                    + ") must exceed 'max_length' (" + config.getInt("max_length") + ")");
        }
    }

    @Override
    int arity(String token) {
        return switch (token) {
            case "N", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" -> 0;
            case "rev" -> 1;
            case "C" -> 2;
            default -> -1;
        };
    }

    @Override
    Optional<Rewrite> rewrite(List<String> term, int at) {
        if (!term.get(at).equals("rev") || at + 1 >= term.size()) {
            return Optional.empty();
        }
        int end = Terms.end(term, at, this::arity);
        return switch (term.get(at + 1)) {
            case "N" -> Optional.of(new Rewrite("iota:rev/N", end, List.of()));
            case "C" -> {
                int headEnd = Terms.end(term, at + 2, this::arity);
                yield Optional.of(new Rewrite("iota:rev/C", end,
                        Terms.concat(List.of("rev"), term.subList(headEnd, end), term.subList(at + 2, headEnd))));
            }
            default -> Optional.empty();
        };
    }

    @Override
    List<String> sample(Config config, String split, SplittableRandom random) {
        int length = switch (split) {
            case Split.TRAIN, Split.TEST_ID -> between(random, config.getInt("min_length"), config.getInt("max_length"));
            case OOD_LENGTH -> between(random, config.getInt("max_length") + 1, config.getInt("ood_length"));
            default -> throw new IllegalArgumentException(split);
        };
        List<String> term = new ArrayList<>();
        term.add("rev");
        for (int i = 0; i < length; i++) {
            term.add("C");
            term.add(Integer.toString(random.nextInt(10)));
        }
        term.add("N");
        return term;
    }

    /**
     * For the two tokens {@code C x} of element i of n: {@code depth}, i (the {@code rev} steps before the recursion
     * reaches the element; n at {@code N}); {@code position_from_end}, n - 1 - i (where the element lands in the
     * answer; undefined at {@code N}). Both undefined at {@code rev}. A causal model cannot know the second at
     * the input tokens, since n is read last: a probe shows how much of it the first explains.
     */
    @Override
    List<TokenFeature> tokenFeatures(Config config, List<String> input) {
        int n = (input.size() - 2) / 2;
        double[] depth = new double[input.size()];
        double[] fromEnd = new double[input.size()];
        depth[0] = Double.NaN;
        fromEnd[0] = Double.NaN;
        for (int j = 1; j < input.size(); j++) {
            int element = (j - 1) / 2;
            depth[j] = element;
            fromEnd[j] = element < n ? n - 1 - element : Double.NaN;
        }
        return List.of(new TokenFeature("depth", TokenFeature.Kind.NUMERIC, depth),
                new TokenFeature("position_from_end", TokenFeature.Kind.NUMERIC, fromEnd));
    }

    @Override
    Map<String, Integer> features(Config config, List<String> input) {
        return Map.of("length", (input.size() - 2) / 2);
    }
}
