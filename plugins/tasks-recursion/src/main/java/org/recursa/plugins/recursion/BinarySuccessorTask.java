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
 * Successor on inductive binary numbers {@code Z | B0 n | B1 n}, least significant constructor outermost:
 *
 * <pre>
 * succ Z      = B1 Z
 * succ (B0 n) = B1 n
 * succ (B1 n) = B0 (succ n)
 * </pre>
 *
 * The number of steps is the run of trailing ones (the carry chain) plus one, so long carry chains and
 * all-ones numbers are the edge cases: training caps the carry chain at {@code max_train_carry}, and
 * {@code test-ood-carry} asks for longer ones. Numbers are canonical: the most significant constructor is
 * {@code B1}, and zero is {@code Z} (with 0 digits, so the base case {@code succ Z} is a training input).
 *
 * <p>Held out: with the defaults (0 to 12 digits, carry chains up to 5) the training distribution has 4,032
 * numbers; a run's 10,000 training draws hold about 2,100 of them (short numbers many times over, few of the long
 * ones), and the host rejects every training input from the evaluation splits, so test-id is mostly numbers of 10 to
 * 12 digits. Both OOD splits lie outside the training support: longer carry chains than training allows, more digits
 * than it allows.
 */
public final class BinarySuccessorTask extends RewritingTask {

    static final String EDGE_CARRY = "test-edge-carry";
    static final String OOD_CARRY = "test-ood-carry";
    static final String OOD_LENGTH = "test-ood-length";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("min_bits", 0, 0, 256, "fewest binary digits in train and test-id (0: the number Z)"),
            Setting.ofInt("max_bits", 12, 2, 256, "most binary digits in train and test-id"),
            Setting.ofInt("ood_bits", 16, 3, 512, "most digits in test-ood-length (which starts above max_bits)"),
            Setting.ofInt("max_train_carry", 5, 1, 255,
                    "longest carry chain (run of trailing ones) in train, test-id and test-ood-length"),
            Setting.ofDouble("edge_fraction", 0.0, 0.0, 1.0,
                    "share of training examples drawn from the edge-case distribution (carry chains uniform in "
                            + "1..max_train_carry) instead of uniform random digits"),
            TRACE_STEPS);

    /** Creates the task; it holds no state. */
    public BinarySuccessorTask() {
    }

    @Override
    public String id() {
        return "binary-successor";
    }

    @Override
    public String description() {
        return "Successor of an inductive binary number (Z | B0 n | B1 n); OOD by length and carry chain";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    List<String> symbols() {
        return List.of("succ", "B0", "B1", "Z");
    }

    @Override
    List<Definition> definitions() {
        return List.of(new Definition("succ", List.of("n"), List.of(
                new Definition.Equation("Z", List.of(), "B1 Z"),
                new Definition.Equation("B0", List.of("m"), "B1 m"),
                new Definition.Equation("B1", List.of("m"), "B0 succ m"))));
    }

    @Override
    public List<Split> splits(Config config) {
        int cap = config.getInt("max_train_carry");
        return List.of(
                new Split(Split.TRAIN, config.getInt("min_bits") + ".." + config.getInt("max_bits")
                        + " digits, carry chain <= " + cap, false),
                new Split(Split.TEST_ID, "held out (no training input), same distribution as train without edge-case "
                        + "oversampling", false),
                new Split(EDGE_CARRY, "carry chains " + edgeLow(config) + ".." + cap
                        + " (the longest training allows, rare under uniform digits), held out", false),
                new Split(OOD_CARRY, "carry chains " + (cap + 1) + ".." + config.getInt("max_bits")
                        + " (longer than any in training), all-ones numbers included", true),
                new Split(OOD_LENGTH, (config.getInt("max_bits") + 1) + ".." + config.getInt("ood_bits")
                        + " digits, carry chain <= " + cap, true));
    }

    @Override
    void validate(Config config) {
        int min = config.getInt("min_bits");
        int max = config.getInt("max_bits");
        if (min > max) {
            throw new ConfigException("setting 'min_bits' (" + min + ") must not exceed 'max_bits' (" + max + ")");
        }
        if (config.getInt("ood_bits") <= max) {
            throw new ConfigException("setting 'ood_bits' (" + config.getInt("ood_bits") + ") must exceed 'max_bits' ("
                    + max + ")");
        }
        if (config.getInt("max_train_carry") >= max) {
            throw new ConfigException("setting 'max_train_carry' (" + config.getInt("max_train_carry")
                    + ") must be below 'max_bits' (" + max + ") so that test-ood-carry has longer chains");
        }
    }

    @Override
    int arity(String token) {
        return switch (token) {
            case "Z" -> 0;
            case "B0", "B1", "succ" -> 1;
            default -> -1;
        };
    }

    @Override
    Optional<Rewrite> rewrite(List<String> term, int at) {
        if (!term.get(at).equals("succ") || at + 1 >= term.size()) {
            return Optional.empty();
        }
        int end = Terms.end(term, at, this::arity);
        return switch (term.get(at + 1)) {
            case "Z" -> Optional.of(new Rewrite("iota:succ/Z", end, List.of("B1", "Z")));
            case "B0" -> Optional.of(new Rewrite("iota:succ/B0", end,
                    Terms.concat(List.of("B1"), term.subList(at + 2, end))));
            case "B1" -> Optional.of(new Rewrite("iota:succ/B1", end,
                    Terms.concat(List.of("B0", "succ"), term.subList(at + 2, end))));
            default -> Optional.empty();
        };
    }

    @Override
    List<String> sample(Config config, String split, SplittableRandom random) {
        int min = config.getInt("min_bits");
        int max = config.getInt("max_bits");
        int cap = config.getInt("max_train_carry");
        return switch (split) {
            case Split.TRAIN -> random.nextDouble() < config.getDouble("edge_fraction")
                    ? withCarry(random, between(random, 1, cap), min, max)
                    : uniform(random, min, max, cap);
            case Split.TEST_ID -> uniform(random, min, max, cap);
            case EDGE_CARRY -> withCarry(random, between(random, edgeLow(config), cap), min, max);
            case OOD_CARRY -> withCarry(random, between(random, cap + 1, max), min, max);
            case OOD_LENGTH -> uniform(random, max + 1, config.getInt("ood_bits"), cap);
            default -> throw new IllegalArgumentException(split);
        };
    }

    @Override
    Map<String, Integer> features(Config config, List<String> input) {
        return Map.of("bits", input.size() - 2, "carry_chain", carryChain(input));
    }

    /**
     * {@code in_carry_chain}: 1 for the digits the carry flips from one to zero (the trailing ones), 0 for the other
     * digits and {@code Z}; {@code remaining_steps}: for the token at index j (from 1), the steps the derivation
     * still takes when its recursion reads that token, c + 2 - j for j up to c + 1 (the digit or {@code Z} that
     * stops the carry reads 1), 0 beyond; both undefined at {@code succ}. The second depends on where the chain
     * ends, which a causal model has not read yet at the chain's digits.
     */
    @Override
    List<TokenFeature> tokenFeatures(Config config, List<String> input) {
        int carry = carryChain(input);
        double[] inChain = new double[input.size()];
        double[] remaining = new double[input.size()];
        inChain[0] = Double.NaN;
        remaining[0] = Double.NaN;
        for (int j = 1; j < input.size(); j++) {
            inChain[j] = j <= carry ? 1 : 0;
            remaining[j] = j <= carry + 1 ? carry + 2 - j : 0;
        }
        return List.of(new TokenFeature("in_carry_chain", TokenFeature.Kind.BINARY, inChain),
                new TokenFeature("remaining_steps", TokenFeature.Kind.NUMERIC, remaining));
    }

    /** Trailing ones: the run of {@code B1} right after {@code succ}. */
    static int carryChain(List<String> input) {
        int run = 0;
        while (run + 1 < input.size() && input.get(run + 1).equals("B1")) {
            run++;
        }
        return run;
    }

    /** The number a term (with or without a leading {@code succ}) denotes; for tests and docs. */
    static java.math.BigInteger value(List<String> term) {
        java.math.BigInteger value = java.math.BigInteger.ZERO;
        for (int i = term.size() - 1; i >= 0; i--) {
            switch (term.get(i)) {
                case "B0" -> value = value.shiftLeft(1);
                case "B1" -> value = value.shiftLeft(1).add(java.math.BigInteger.ONE);
                default -> {
                }
            }
        }
        return value;
    }

    private static int edgeLow(Config config) {
        return Math.max(1, config.getInt("max_train_carry") - 1);
    }

    /**
     * Uniform digits (most significant one set) of a uniform length, redrawn while the carry chain exceeds cap; length
     * 0 is zero, {@code Z}.
     */
    private static List<String> uniform(SplittableRandom random, int minBits, int maxBits, int cap) {
        while (true) {
            int bits = between(random, minBits, maxBits);
            if (bits == 0) {
                return term(List.of());
            }
            List<String> digits = new ArrayList<>(bits);
            for (int i = 0; i < bits - 1; i++) {
                digits.add(random.nextBoolean() ? "B1" : "B0");
            }
            digits.add("B1");
            List<String> term = term(digits);
            if (carryChain(term) <= cap) {
                return term;
            }
        }
    }

    /**
     * A canonical number with exactly {@code carry} trailing ones and a length in {@code [minBits, maxBits]}:
     * all ones, or ones, a zero, and uniform digits up to a leading one (so length carry + 1 is impossible).
     */
    private static List<String> withCarry(SplittableRandom random, int carry, int minBits, int maxBits) {
        List<Integer> lengths = new ArrayList<>();
        for (int bits = Math.max(minBits, carry); bits <= maxBits; bits++) {
            if (bits != carry + 1) {
                lengths.add(bits);
            }
        }
        int bits = lengths.isEmpty() ? carry : lengths.get(random.nextInt(lengths.size()));
        List<String> digits = new ArrayList<>(bits);
        for (int i = 0; i < bits; i++) {
            if (i < carry || i == bits - 1) {
                digits.add("B1");
            } else if (i == carry) {
                digits.add("B0");
            } else {
                digits.add(random.nextBoolean() ? "B1" : "B0");
            }
        }
        return term(digits);
    }

    private static List<String> term(List<String> digits) {
        List<String> term = new ArrayList<>(digits.size() + 2);
        term.add("succ");
        term.addAll(digits);
        term.add("Z");
        return term;
    }
}
