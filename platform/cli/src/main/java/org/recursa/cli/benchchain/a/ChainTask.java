package org.recursa.cli.benchchain.a;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;
import org.recursa.cli.benchchain.b.ChainAlphabet;

/** Reverse a string of 4 to 8 digits, the digits taken through B from C: a small task that conforms. */
public final class ChainTask implements Task {

    /** The extension id {@code recursa bench catalog} installs. */
    public static final String ID = "bench-chain";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "reverse a string of digits (benchmark dependency chain)";
    }

    @Override
    public Vocabulary vocabulary(Config config) {
        return Vocabulary.of(ChainAlphabet.symbols());
    }

    @Override
    public List<Split> splits(Config config) {
        return List.of(new Split(Split.TRAIN, "4 to 8 digits", false),
                new Split(Split.TEST_ID, "4 to 8 digits", false));
    }

    @Override
    public List<Example> generate(Config config, String split, int count, long seed) {
        if (splits(config).stream().noneMatch(s -> s.name().equals(split))) {
            throw new IllegalArgumentException("unknown split '" + split + "'; splits: train, test-id");
        }
        List<String> symbols = ChainAlphabet.symbols();
        SplittableRandom random = new SplittableRandom(seed * 31 + split.hashCode());
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> input = new ArrayList<>();
            for (int t = 4 + random.nextInt(5); t > 0; t--) {
                input.add(symbols.get(random.nextInt(symbols.size())));
            }
            examples.add(new Example(split + "/" + i, split, input, derive(config, input).answer(), Map.of()));
        }
        return examples;
    }

    @Override
    public Derivation derive(Config config, List<String> input) {
        List<String> reversed = new ArrayList<>(input);
        Collections.reverse(reversed);
        return new Derivation(input, List.of(), List.copyOf(reversed));
    }
}
