package org.recursa.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;

/**
 * A small conforming task for the TCK's own tests: sort letters by adjacent swaps. Every swap of an adjacent
 * inversion is a reduction, the interpreter swaps the leftmost, and the sorted word is the normal form. The broken
 * tasks of {@link TaskConformanceTest} override one method each.
 */
class SortTask implements Task {

    static final String OOD = "test-ood-length";
    static final List<String> LETTERS = List.of("a", "b", "c", "d", "e", "f", "g", "h");

    @Override
    public String id() {
        return "sort";
    }

    @Override
    public String description() {
        return "Sort letters by adjacent swaps";
    }

    @Override
    public int trainingExamples(Config config) {
        return 1_000;
    }

    @Override
    public Vocabulary vocabulary(Config config) {
        return Vocabulary.of(LETTERS);
    }

    @Override
    public List<Split> splits(Config config) {
        return List.of(new Split(Split.TRAIN, "lengths 1..6", false),
                new Split(Split.TEST_ID, "lengths 1..6", false),
                new Split(OOD, "lengths 7..9", true));
    }

    @Override
    public List<Example> generate(Config config, String split, int count, long seed) {
        if (splits(config).stream().noneMatch(s -> s.name().equals(split))) {
            throw new IllegalArgumentException("unknown split '" + split + "'");
        }
        SplittableRandom random = random(split, seed);
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> input = word(split, random);
            examples.add(new Example(split + "/" + i, split, input, sorted(input), Map.of("length", input.size())));
        }
        return examples;
    }

    SplittableRandom random(String split, long seed) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (split.hashCode() + 1L)));
    }

    List<String> word(String split, SplittableRandom random) {
        int length = split.equals(OOD) ? 7 + random.nextInt(3) : 1 + random.nextInt(6);
        List<String> word = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            word.add(LETTERS.get(random.nextInt(LETTERS.size())));
        }
        return word;
    }

    static List<String> sorted(List<String> input) {
        return input.stream().sorted().toList();
    }

    @Override
    public Derivation derive(Config config, List<String> input) {
        List<ReductionStep> steps = new ArrayList<>();
        List<String> term = input;
        for (List<ReductionStep> next = swaps(term); !next.isEmpty(); next = swaps(term)) {
            steps.add(next.get(0));
            term = next.get(0).term();
        }
        return new Derivation(input, steps, term);
    }

    @Override
    public List<ReductionStep> reductions(Config config, List<String> term) {
        return swaps(term);
    }

    /** Every swap of an adjacent inversion; the interpreter's own, so that tests can override reductions alone. */
    static List<ReductionStep> swaps(List<String> term) {
        List<ReductionStep> steps = new ArrayList<>();
        for (int i = 0; i + 1 < term.size(); i++) {
            if (term.get(i).compareTo(term.get(i + 1)) > 0) {
                List<String> swapped = new ArrayList<>(term);
                swapped.set(i, term.get(i + 1));
                swapped.set(i + 1, term.get(i));
                steps.add(new ReductionStep("swap", Integer.toString(i), swapped));
            }
        }
        return steps;
    }

    @Override
    public Set<Mode> modes() {
        return Set.of(Mode.IO, Mode.TRACE);
    }
}
