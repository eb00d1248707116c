package org.recursa.plugins.algorithmic;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.task.Split;

/**
 * The splits of the Universal Transformer's algorithmic tasks: train and test-id on lengths
 * {@code min_length..max_length}, test-ood-length on {@code max_length+1..ood_length}. The paper trains on
 * length 40 and tests on 400 ({@code --set max_length=40 --set ood_length=400}); the defaults are smaller so a
 * run fits in minutes on two cores.
 */
final class LengthSplits {

    static final String OOD_LENGTH = "test-ood-length";

    static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("min_length", 1, 1, 1024, "shortest input in train and test-id"),
            Setting.ofInt("max_length", 8, 1, 1024, "longest input in train and test-id (the UT paper: 40)"),
            Setting.ofInt("ood_length", 16, 2, 4096,
                    "longest input in test-ood-length, which starts above max_length (the UT paper: 400)"));

    private LengthSplits() {
    }

    static List<Split> splits(Config config) {
        return List.of(
                new Split(Split.TRAIN, "lengths " + config.getInt("min_length") + ".." + config.getInt("max_length"), false),
                new Split(Split.TEST_ID, "held out (no training input), same lengths as train", false),
                new Split(OOD_LENGTH, "lengths " + (config.getInt("max_length") + 1) + ".." + config.getInt("ood_length"),
                        true));
    }

    /** A length for one example of {@code split}, after checking the settings. */
    static int length(Config config, String taskId, String split, SplittableRandom random) {
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
            case Split.TRAIN, Split.TEST_ID -> min + random.nextInt(max - min + 1);
            case OOD_LENGTH -> max + 1 + random.nextInt(ood - max);
            default -> throw new IllegalArgumentException("unknown split '" + split + "' for task " + taskId
                    + "; valid splits: " + splits(config).stream().map(Split::name).collect(Collectors.joining(", ")));
        };
    }

    /** One random stream per split, so that train and the test splits never replay the same draws. */
    static SplittableRandom stream(long seed, String split) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (split.hashCode() + 1L)));
    }

    static List<String> digits() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
}
