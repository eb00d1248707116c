package org.recursa.runtime.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.recursa.api.Config;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Model;
import org.recursa.api.task.Example;
import org.recursa.runstore.RunWriter;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Evaluation;

/**
 * The final evaluation every kind of run ends with (trained, re-evaluated, compressed): each split decoded with the
 * sampler, its proof artifacts written, its result kept for {@code final.json}.
 */
final class SplitEvaluation {

    private SplitEvaluation() {
    }

    /**
     * Evaluates every split in order.
     *
     * @param context  the run's keys for every artifact record (run, task, arch, mode)
     * @param progress receives a line before each split
     */
    static List<Evaluation.Result> run(Model model, BoundTask bound, Sampler sampler, Config samplerSettings,
                                       Map<String, List<Example>> evaluation, long seed, RunWriter writer,
                                       Map<String, Object> context, Consumer<String> progress) {
        List<Evaluation.Result> splits = new ArrayList<>();
        for (Map.Entry<String, List<Example>> split : evaluation.entrySet()) {
            progress.accept("evaluating " + split.getKey() + " (" + split.getValue().size() + " examples)");
            Evaluation.Result result = Evaluation.run(model, bound, sampler, samplerSettings, split.getKey(),
                    split.getValue(), true, seed);
            writer.artifacts(split.getKey(), Artifacts.records(context, result));
            splits.add(result);
        }
        return splits;
    }
}
