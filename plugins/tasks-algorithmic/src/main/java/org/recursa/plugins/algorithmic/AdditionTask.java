package org.recursa.plugins.algorithmic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;

/**
 * The Universal Transformer's addition task in the tensor2tensor convention: two decimal numbers, least
 * significant digit first, separated by {@code +}; the output is their sum, least significant digit first. A
 * number's last (most significant) digit is non-zero unless the number has one digit. Accuracy is sliced by
 * {@code length} (digits of the longer operand) and {@code carry_chain} (the longest run of consecutive
 * carries), the edge case of addition.
 */
public final class AdditionTask implements Task {

    /** Creates the task; it holds no state. */
    public AdditionTask() {
    }

    @Override
    public String id() {
        return "addition";
    }

    @Override
    public String description() {
        return "Add two decimal numbers, least significant digit first (Universal Transformer algorithmic task)";
    }

    @Override
    public ConfigSchema schema() {
        return LengthSplits.SCHEMA;
    }

    @Override
    public Vocabulary vocabulary(Config config) {
        List<String> symbols = new ArrayList<>(LengthSplits.digits());
        symbols.add("+");
        return Vocabulary.of(symbols);
    }

    @Override
    public List<Split> splits(Config config) {
        return LengthSplits.splits(config);
    }

    @Override
    public List<Example> generate(Config config, String split, int count, long seed) {
        SplittableRandom random = LengthSplits.stream(seed, split);
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> first = number(random, LengthSplits.length(config, id(), split, random));
            List<String> second = number(random, LengthSplits.length(config, id(), split, random));
            List<String> input = new ArrayList<>(first);
            input.add("+");
            input.addAll(second);
            examples.add(new Example(split + "/" + i, split, input, derive(config, input).answer(),
                    Map.of("length", Math.max(first.size(), second.size()), "carry_chain", longestCarryRun(input))));
        }
        return examples;
    }

    @Override
    public Derivation derive(Config config, List<String> input) {
        int plus = input.indexOf("+");
        if (plus < 0) {
            throw new IllegalArgumentException("an addition input has the form 'digits + digits', got " + input);
        }
        List<String> a = input.subList(0, plus);
        List<String> b = input.subList(plus + 1, input.size());
        List<String> sum = new ArrayList<>();
        int carry = 0;
        for (int i = 0; i < Math.max(a.size(), b.size()) || carry > 0; i++) {
            int digit = digit(a, i) + digit(b, i) + carry;
            sum.add(Integer.toString(digit % 10));
            carry = digit / 10;
        }
        return new Derivation(input, List.of(new ReductionStep("add", "", sum)), sum);
    }

    /** The longest run of positions that produce a carry. */
    static int longestCarryRun(List<String> input) {
        int plus = input.indexOf("+");
        List<String> a = input.subList(0, plus);
        List<String> b = input.subList(plus + 1, input.size());
        int carry = 0;
        int run = 0;
        int longest = 0;
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            carry = (digit(a, i) + digit(b, i) + carry) / 10;
            run = carry > 0 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static int digit(List<String> number, int i) {
        return i < number.size() ? number.get(i).charAt(0) - '0' : 0;
    }

    private static List<String> number(SplittableRandom random, int length) {
        List<String> digits = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            boolean last = i == length - 1 && length > 1;
            digits.add(Integer.toString(last ? 1 + random.nextInt(9) : random.nextInt(10)));
        }
        return digits;
    }
}
