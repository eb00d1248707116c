package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Model;
import org.recursa.api.task.Example;
import org.recursa.api.task.Task;
import org.recursa.api.task.Verdict;
import org.recursa.api.task.Vocabulary;

/** Decodes a split with a sampler and scores it with the task's checker. */
public final class Evaluation {

    /** Decoding batch: large enough to amortise op overhead, small enough to bound memory. */
    private static final int CHUNK = 256;

    /**
     * Accuracy on one split.
     *
     * @param split           the split's name
     * @param examples        how many examples were scored
     * @param tokenAccuracy   share of target tokens predicted right
     * @param sequenceAccuracy share of examples predicted exactly
     * @param verdicts        one verdict per example, in order
     * @param tokensPerSecond decoding speed
     */
    public record Result(String split, int examples, double tokenAccuracy, double sequenceAccuracy,
                         List<Verdict> verdicts, double tokensPerSecond) {
    }

    private Evaluation() {
    }

    /** Scores {@code model} on {@code examples} of one split. */
    public static Result run(Model model, Task task, Vocabulary vocabulary, Sampler sampler, Config samplerSettings,
                             String split, List<Example> examples) {
        List<Verdict> verdicts = new ArrayList<>(examples.size());
        long correctTokens = 0;
        long totalTokens = 0;
        long correctSequences = 0;
        long generated = 0;
        double seconds = 0;
        for (int from = 0; from < examples.size(); from += CHUNK) {
            List<Example> chunk = examples.subList(from, Math.min(examples.size(), from + CHUNK));
            int longest = chunk.stream().mapToInt(e -> e.target().size()).max().orElse(0);
            List<int[]> prompts = chunk.stream().map(e -> Encoding.prompt(vocabulary, e)).toList();
            Decoded decoded = sampler.decode(model, new DecodeRequest(prompts, longest + 1, Vocabulary.EOS_ID),
                    samplerSettings);
            generated += decoded.generatedTokens();
            seconds += decoded.seconds();
            for (int i = 0; i < chunk.size(); i++) {
                Verdict verdict = task.check(chunk.get(i), vocabulary.decode(decoded.outputs().get(i)));
                verdicts.add(verdict);
                correctTokens += verdict.tokensCorrect();
                totalTokens += verdict.tokensTotal();
                correctSequences += verdict.correct() ? 1 : 0;
            }
        }
        int n = examples.size();
        return new Result(split, n, totalTokens == 0 ? 0 : (double) correctTokens / totalTokens,
                n == 0 ? 0 : (double) correctSequences / n, verdicts, seconds > 0 ? generated / seconds : 0);
    }
}
