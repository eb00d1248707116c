package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Sampler;
import org.recursa.api.decode.SpecialTokens;
import org.recursa.api.model.Model;
import org.recursa.api.task.Example;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;

/**
 * Decodes a split with a sampler and judges every prediction with the task's checker; for models that report a
 * per-token recursion depth (ACT, MoR) it also records the depth of every token of the decoded sequence.
 */
public final class Evaluation {

    /** Decoding batch: large enough to amortise op overhead, small enough to bound memory. */
    private static final int CHUNK = 256;

    /**
     * Accuracy on one split.
     *
     * @param split            the split's name
     * @param examples         how many examples were scored
     * @param tokenAccuracy    share of target tokens predicted right
     * @param sequenceAccuracy share of examples predicted exactly
     * @param judgements       one per example, in order
     * @param depths           per example, the recursion depth of each token of {@code input SEP output}, or
     *                         null entries when the model reports none
     * @param decoding         what decoding the split cost, as the sampler reported it
     */
    public record Result(String split, int examples, double tokenAccuracy, double sequenceAccuracy,
                         List<BoundTask.Judgement> judgements, List<double[]> depths, Decoding decoding) {

        /** Decoding speed: generated tokens per second. */
        public double tokensPerSecond() {
            return decoding.tokensPerSecond();
        }

        /**
         * Share of examples whose predicted trace reaches the answer, or null when the split was not checked as traces
         * (io mode). An empty split has none valid.
         */
        public Double traceValid() {
            if (judgements.stream().noneMatch(j -> j.trace() != null)) {
                return null;
            }
            long valid = judgements.stream().filter(j -> j.trace() != null && j.trace().reachesAnswer()).count();
            return examples == 0 ? 0.0 : valid / (double) examples;
        }

        /** How many distinct inputs the examples have (inputs compared as token lists). */
        public int distinctInputs() {
            return byInput().size();
        }

        /**
         * Sequence accuracy per distinct input: the mean, over distinct inputs, of the share of that input's examples
         * predicted exactly. Every input counts once however often the split drew it; for a deterministic sampler,
         * whose copies of one input are all right or all wrong, it is the share of distinct inputs predicted exactly.
         */
        public double distinctSequenceAccuracy() {
            Map<List<String>, int[]> counts = byInput();
            if (counts.isEmpty()) {
                return 0;
            }
            double sum = 0;
            for (int[] c : counts.values()) {
                sum += c[1] / (double) c[0];
            }
            return sum / counts.size();
        }

        /** Per distinct input: {examples, examples predicted exactly}. */
        private Map<List<String>, int[]> byInput() {
            Map<List<String>, int[]> counts = new HashMap<>();
            for (BoundTask.Judgement judgement : judgements) {
                int[] c = counts.computeIfAbsent(judgement.example().input(), input -> new int[2]);
                c[0]++;
                c[1] += judgement.verdict().correct() ? 1 : 0;
            }
            return counts;
        }
    }

    /**
     * What decoding a split cost, summed over its decode calls ({@link Decoded}).
     *
     * @param generatedTokens tokens generated, as the sampler counted them
     * @param seconds         wall-clock time in the sampler
     * @param modelCalls      forward passes the sampler made
     * @param flops           forward FLOPs the sampler's sessions counted; 0 when it counted none
     * @param depthTokens     generated tokens whose depth the sampler recorded
     * @param depthSum        the sum of those tokens' depths
     */
    public record Decoding(long generatedTokens, double seconds, long modelCalls, long flops, long depthTokens,
                           long depthSum) {

        /** Nothing decoded. */
        public static final Decoding NONE = new Decoding(0, 0, 0, 0, 0, 0);

        /** This and one more decode call. */
        Decoding plus(Decoded decoded) {
            long tokens = 0;
            long sum = 0;
            for (int[] row : decoded.depths()) {
                tokens += row.length;
                for (int depth : row) {
                    sum += depth;
                }
            }
            return new Decoding(generatedTokens + decoded.generatedTokens(), seconds + decoded.seconds(),
                    modelCalls + decoded.modelCalls(), flops + decoded.flops(), depthTokens + tokens, depthSum + sum);
        }

        /** Generated tokens per second, 0 when no time was measured. */
        public double tokensPerSecond() {
            return seconds > 0 ? generatedTokens / seconds : 0;
        }

        /**
         * The mean depth per generated token over the split ({@link Decoded#averageDepth()} over all its calls), or
         * NaN when the sampler recorded no depths.
         */
        public double averageDepth() {
            return depthTokens == 0 ? Double.NaN : (double) depthSum / depthTokens;
        }
    }

    /**
     * Mixes a decode call's seed from the evaluation's seed, the split and the call's first example, so that the
     * calls of one evaluation draw independent random numbers while equal evaluations draw equal ones.
     */
    static long requestSeed(long seed, String split, int from) {
        long z = seed ^ (split.hashCode() * 0x9E3779B97F4A7C15L) ^ (from * 0xBF58476D1CE4E5B9L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Evaluation() {
    }

    /**
     * Scores {@code model} on {@code examples} of one split; {@code withDepth} also records depth traces. Every
     * decode request carries the vocabulary's special tokens and a seed mixed from {@code seed}
     * ({@link #requestSeed}): equal calls with equal seeds decode equally, even with a sampler that draws at random.
     */
    public static Result run(Model model, BoundTask task, Sampler sampler, Config samplerSettings, String split,
                             List<Example> examples, boolean withDepth, long seed) {
        Vocabulary vocabulary = task.vocabulary();
        List<BoundTask.Judgement> judgements = new ArrayList<>(examples.size());
        List<double[]> depths = new ArrayList<>(examples.size());
        long correctTokens = 0;
        long totalTokens = 0;
        long correctSequences = 0;
        Decoding decoding = Decoding.NONE;
        for (int from = 0; from < examples.size(); from += CHUNK) {
            List<Example> chunk = examples.subList(from, Math.min(examples.size(), from + CHUNK));
            int longest = chunk.stream().mapToInt(e -> e.target().size()).max().orElse(0);
            List<int[]> prompts = chunk.stream().map(e -> Encoding.prompt(vocabulary, e)).toList();
            Decoded decoded = sampler.decode(model, new DecodeRequest(prompts, longest + 1, Vocabulary.EOS_ID,
                    requestSeed(seed, split, from), SpecialTokens.STANDARD), samplerSettings);
            decoding = decoding.plus(decoded);
            for (int i = 0; i < chunk.size(); i++) {
                BoundTask.Judgement judgement = task.judge(chunk.get(i), vocabulary.decode(decoded.outputs().get(i)));
                judgements.add(judgement);
                correctTokens += judgement.verdict().tokensCorrect();
                totalTokens += judgement.verdict().tokensTotal();
                correctSequences += judgement.verdict().correct() ? 1 : 0;
            }
            depths.addAll(withDepth ? depthTraces(model, prompts, decoded.outputs()) : nulls(chunk.size()));
        }
        int n = examples.size();
        return new Result(split, n, totalTokens == 0 ? 0 : (double) correctTokens / totalTokens,
                n == 0 ? 0 : (double) correctSequences / n, judgements, depths, decoding);
    }

    /** One forward pass over {@code prompt + output} per row; null entries for fixed-depth models. */
    private static List<double[]> depthTraces(Model model, List<int[]> prompts, List<int[]> outputs) {
        if (!(model instanceof TrainableModel trainable)) {
            return nulls(prompts.size());
        }
        int[][] rows = new int[prompts.size()][];
        for (int i = 0; i < rows.length; i++) {
            int[] prompt = prompts.get(i);
            int[] output = outputs.get(i);
            int length = Math.min(prompt.length + output.length, model.info().maxLength());
            rows[i] = Arrays.copyOf(prompt, length);
            System.arraycopy(output, 0, rows[i], prompt.length, length - prompt.length);
        }
        try (Scratch scratch = Scratch.open("depth")) {
            TokenBatch batch = TokenBatch.of(rows, Vocabulary.PAD_ID);
            Forward forward = trainable.forward(Tape.inference(), batch);
            if (forward.depth() == null) {
                return nulls(rows.length);
            }
            List<double[]> traces = new ArrayList<>(rows.length);
            for (int b = 0; b < rows.length; b++) {
                int start = b * batch.length();
                traces.add(Arrays.copyOfRange(forward.depth(), start, start + rows[b].length));
            }
            return traces;
        }
    }

    private static List<double[]> nulls(int count) {
        return new ArrayList<>(java.util.Collections.nCopies(count, (double[]) null));
    }
}
