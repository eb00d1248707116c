package org.recursa.plugins.algorithmic;

import java.util.ArrayList;
import java.util.Collections;
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

/** The Universal Transformer's reverse task: output the input's decimal digits in reverse order. */
public final class ReverseTask implements Task {

    /** Creates the task; it holds no state. */
    public ReverseTask() {
    }

    @Override
    public String id() {
        return "reverse";
    }

    @Override
    public String description() {
        return "Reverse a digit string (Universal Transformer algorithmic task); OOD by length";
    }

    @Override
    public ConfigSchema schema() {
        return LengthSplits.SCHEMA;
    }

    @Override
    public Vocabulary vocabulary(Config config) {
        return Vocabulary.of(LengthSplits.digits());
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
            int length = LengthSplits.length(config, id(), split, random);
            List<String> input = new ArrayList<>(length);
            for (int t = 0; t < length; t++) {
                input.add(Integer.toString(random.nextInt(10)));
            }
            examples.add(new Example(split + "/" + i, split, input, derive(config, input).answer(),
                    Map.of("length", length)));
        }
        return examples;
    }

    @Override
    public Derivation derive(Config config, List<String> input) {
        List<String> reversed = new ArrayList<>(input);
        Collections.reverse(reversed);
        return new Derivation(input, List.of(new ReductionStep("reverse", "", reversed)), reversed);
    }
}
