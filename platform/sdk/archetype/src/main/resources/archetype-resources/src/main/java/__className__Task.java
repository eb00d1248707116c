package ${package};

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;

/**
 * Parity of a bit string: the answer is 1 when the input holds an odd number of ones. A classic test of whether a
 * model can carry a state along a sequence, and one that recursion solves step by step: the reference interpreter
 * folds the first two bits into their XOR until one bit is left, so {@code 1 0 1 1 -> 1 1 1 -> 0 1 -> 1}, which is
 * also the trace a model learns in trace mode.
 *
 * <p>{@code train} and {@code test-id} draw from two fixed, disjoint parts of the input space (about 1/5 of all bit
 * strings belong to test-id, whatever the seed), so the held-out split is a sample of the same distribution that no
 * training run can see; {@code test-ood-length} asks for longer strings than training ever shows.
 */
public final class ${className}Task implements Task {

    static final String OOD_LENGTH = "test-ood-length";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("min_length", 2, 1, 62, "shortest input of train and test-id"),
            Setting.ofInt("max_length", 16, 1, 62, "longest input of train and test-id"),
            Setting.ofInt("ood_length", 24, 2, 62, "longest input of test-ood-length (which starts above max_length)"));

    /** Creates the task; it holds no state. */
    public ${className}Task() {
    }

    @Override
    public String id() {
        return "${id}";
    }

    @Override
    public String description() {
        return "Parity of a bit string (1 if it has an odd number of ones), folded one XOR at a time";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Vocabulary vocabulary(Config config) {
        return Vocabulary.of(List.of("0", "1"));
    }

    @Override
    public Set<Mode> modes() {
        return Set.of(Mode.IO, Mode.TRACE);
    }

    @Override
    public List<Split> splits(Config config) {
        return List.of(
                new Split(Split.TRAIN, lengths(config, Split.TRAIN) + ", the training part of the space", false),
                new Split(Split.TEST_ID, lengths(config, Split.TEST_ID) + ", the held-out part of the space", false),
                new Split(OOD_LENGTH, lengths(config, OOD_LENGTH) + ", longer than any training input", true));
    }

    @Override
    public List<Example> generate(Config config, String split, int count, long seed) {
        int[] range = range(config, split);
        // One stream per split, so that the splits of one seed are independent draws.
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (split.hashCode() + 1L)));
        List<Example> examples = new ArrayList<>(count);
        long attempts = 0;
        while (examples.size() < count) {
            if (++attempts > 1000L * (count + 1)) {      // tiny length ranges may hold no input of one part
                throw new ConfigException("lengths " + range[0] + ".." + range[1] + " hold too few inputs to split "
                        + "into train and test-id; raise 'max_length'");
            }
            int length = range[0] + random.nextInt(range[1] - range[0] + 1);
            List<String> bits = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                bits.add(random.nextBoolean() ? "1" : "0");
            }
            // Rejection sampling keeps train and test-id in their parts; OOD lengths are outside training anyway.
            if (!split.equals(OOD_LENGTH) && heldOut(bits) != split.equals(Split.TEST_ID)) {
                continue;
            }
            examples.add(new Example(split + "/" + examples.size(), split, bits, List.of(parity(bits)),
                    Map.of("length", length, "ones", (int) bits.stream().filter("1"::equals).count())));
        }
        return examples;
    }

    /** The reference interpreter: XOR the first two bits until one is left, recording every step. */
    @Override
    public Derivation derive(Config config, List<String> input) {
        List<ReductionStep> steps = new ArrayList<>();
        List<String> term = input;
        for (List<ReductionStep> next = reductions(config, term); !next.isEmpty(); next = reductions(config, term)) {
            steps.add(next.get(0));
            term = next.get(0).term();
        }
        return new Derivation(input, steps, term);
    }

    /** The one step that applies to a term of two bits or more: the first two bits replaced by their XOR. */
    @Override
    public List<ReductionStep> reductions(Config config, List<String> term) {
        if (term.size() < 2 || !term.stream().allMatch(t -> t.equals("0") || t.equals("1"))) {
            return List.of();           // a single bit is the answer; anything else (a model's typo) is stuck
        }
        String xor = term.get(0).equals(term.get(1)) ? "0" : "1";
        List<String> reduced = new ArrayList<>(term.size() - 1);
        reduced.add(xor);
        reduced.addAll(term.subList(2, term.size()));
        return List.of(new ReductionStep("xor:" + term.get(0) + term.get(1), "0", List.copyOf(reduced)));
    }

    /** Parity counted directly, independently of the interpreter: the tests compare the two. */
    static String parity(List<String> bits) {
        return bits.stream().filter("1"::equals).count() % 2 == 0 ? "0" : "1";
    }

    /**
     * Whether a bit string belongs to test-id's part of the space: a fixed hash of the string (the bits behind a
     * leading 1, so that 01 and 1 differ), the same for every seed and every machine.
     */
    static boolean heldOut(List<String> bits) {
        long key = 1;
        for (String bit : bits) {
            key = (key << 1) | (bit.equals("1") ? 1 : 0);
        }
        return Long.remainderUnsigned(key * 0x9E3779B97F4A7C15L, 5) == 0;
    }

    private static int[] range(Config config, String split) {
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
            default -> throw new IllegalArgumentException("unknown split '" + split + "'; valid splits: "
                    + Split.TRAIN + ", " + Split.TEST_ID + ", " + OOD_LENGTH);
        };
    }

    private static String lengths(Config config, String split) {
        int[] range = range(config, split);
        return "lengths " + range[0] + ".." + range[1];
    }
}
