package org.recursa.plugins.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;

/**
 * The copy task of the Universal Transformer paper's algorithmic suite: the output is the input. It is the
 * smallest task that still needs attention to the right position, so it is the first thing every
 * architecture must learn; the {@code test-ood-length} split asks whether it learned copying or a length.
 */
public final class CopyTask implements Task {

    static final String OOD_LENGTH = "test-ood-length";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("symbols", 8, 2, 26, "alphabet size; symbols are the letters a, b, c, ..."),
            Setting.ofInt("min_length", 1, 1, 512, "shortest input in train and test-id"),
            Setting.ofInt("max_length", 8, 1, 512, "longest input in train and test-id"),
            Setting.ofInt("ood_length", 16, 2, 1024, "longest input in test-ood-length (which starts above max_length)"));

    /** Creates the task; it holds no state. */
    public CopyTask() {
    }

    @Override
    public String id() {
        return "copy";
    }

    @Override
    public String description() {
        return "Reproduce the input sequence (Universal Transformer algorithmic task)";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Vocabulary vocabulary(Config config) {
        return Vocabulary.of(symbols(config.getInt("symbols")));
    }

    @Override
    public List<Split> splits(Config config) {
        return List.of(
                new Split(Split.TRAIN, "lengths " + config.getInt("min_length") + ".." + config.getInt("max_length"), false),
                new Split(Split.TEST_ID, "held out (no training input), same lengths as train", false),
                new Split(OOD_LENGTH, "lengths " + (config.getInt("max_length") + 1) + ".." + config.getInt("ood_length"),
                        true));
    }

    @Override
    public List<Example> generate(Config config, String split, int count, long seed) {
        int[] lengths = lengthRange(config, split);
        List<String> alphabet = symbols(config.getInt("symbols"));
        // One random stream per split, so that train and test-id never replay the same draws.
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (split.hashCode() + 1L)));
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = lengths[0] + random.nextInt(lengths[1] - lengths[0] + 1);
            List<String> input = new ArrayList<>(length);
            for (int t = 0; t < length; t++) {
                input.add(alphabet.get(random.nextInt(alphabet.size())));
            }
            examples.add(new Example(split + "/" + i, split, input, input, Map.of("length", length)));
        }
        return examples;
    }

    @Override
    public Derivation derive(Config config, List<String> input) {
        return new Derivation(input, List.of(new ReductionStep("copy", "", input)), input);
    }

    private int[] lengthRange(Config config, String split) {
        int min = config.getInt("min_length");
        int max = config.getInt("max_length");
        int ood = config.getInt("ood_length");
        if (min > max) {
            throw new ConfigException("setting 'min_length' (" + min + ") must not exceed 'max_length' (" + max + ")");
        }
        if (max >= ood) {
            throw new ConfigException("setting 'max_length' (" + max + ") must be below 'ood_length' (" + ood + ")");
        }
        return switch (split) {
            case Split.TRAIN, Split.TEST_ID -> new int[] {min, max};
            case OOD_LENGTH -> new int[] {max + 1, ood};
            default -> throw new IllegalArgumentException("unknown split '" + split + "' for task copy; valid splits: "
                    + splits(config).stream().map(Split::name).collect(Collectors.joining(", ")));
        };
    }

    private static List<String> symbols(int count) {
        List<String> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            symbols.add(String.valueOf((char) ('a' + i)));
        }
        return symbols;
    }
}
