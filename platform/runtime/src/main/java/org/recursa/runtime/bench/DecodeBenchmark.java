package org.recursa.runtime.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.host.EngineStart;
import org.recursa.engine.train.TrainableArchitecture;

/**
 * Greedy decoding throughput of a freshly initialised model, two ways: uncached, every new token a full
 * {@link Model#nextTokenLogits} pass over the whole prefixes (what a model without a cache costs), and cached, one
 * {@link Model#openSession() session} prefilled with the prompts and stepped one token at a time over its key/value
 * cache. The prompts are random tokens of vocabulary {@link TrainBenchmark#VOCABULARY}, all of the same length, and
 * each row generates a fixed number of tokens (no stop token), so both paths do the same work whatever they emit.
 * Generated tokens per second count the whole decode, the prompts' pass included.
 */
public final class DecodeBenchmark {

    /**
     * One decode.
     *
     * @param outputs       the generated tokens, one row per prompt
     * @param seconds       wall-clock seconds of the whole decode
     * @param forwardPasses batched calls into the model
     */
    public record Decoding(int[][] outputs, double seconds, long forwardPasses) {

        /** Generated tokens (every row's) per second. */
        public double tokensPerSecond() {
            return (double) outputs.length * (outputs.length == 0 ? 0 : outputs[0].length) / seconds;
        }
    }

    /**
     * One measurement: the same prompts decoded both ways.
     *
     * @param uncached   full recomputation per token
     * @param cached     a key/value-cache session
     * @param mismatches rows whose greedy outputs differ between the two (0 unless the cache computes something
     *                   else, or two logits tie to within float rounding)
     */
    public record Result(Decoding uncached, Decoding cached, int mismatches) {
    }

    private DecodeBenchmark() {
    }

    /**
     * Builds the model, decodes {@code warmup} times each way untimed, then once each way timed.
     *
     * @param batch  prompts decoded together
     * @param prompt tokens per prompt
     * @param output tokens generated per prompt; the model's maximum length is {@code prompt + output}
     * @param seed   the model's and the prompts' seed
     */
    public static Result run(TrainableArchitecture architecture, Config config, int batch, int prompt, int output,
                             int warmup, long seed) {
        if (batch < 1 || prompt < 1 || output < 1 || warmup < 0) {
            throw new IllegalArgumentException("batch, prompt and output must be at least 1 and warmup at least 0, "
                    + "got " + batch + ", " + prompt + ", " + output + ", " + warmup);
        }
        EngineStart.start();   // done by the host already; here for callers without one
        Model model = architecture.build(new ModelSpec(TrainBenchmark.VOCABULARY, prompt + output, seed), config);
        int[][] prompts = prompts(batch, prompt, seed);
        for (int i = 0; i < warmup; i++) {
            uncached(model, prompts, output);
            cached(model, prompts, output);
        }
        Decoding uncached = uncached(model, prompts, output);
        Decoding cached = cached(model, prompts, output);
        int mismatches = 0;
        for (int b = 0; b < batch; b++) {
            mismatches += Arrays.equals(uncached.outputs()[b], cached.outputs()[b]) ? 0 : 1;
        }
        return new Result(uncached, cached, mismatches);
    }

    /** {@code batch} random prompts of {@code length} tokens, none of them a special token (ids 0-2). */
    static int[][] prompts(int batch, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] prompts = new int[batch][length];
        for (int[] row : prompts) {
            for (int t = 0; t < length; t++) {
                row[t] = 3 + random.nextInt(TrainBenchmark.VOCABULARY - 3);
            }
        }
        return prompts;
    }

    /** Greedy decoding by full recomputation: each token a {@link Model#nextTokenLogits} pass over every prefix. */
    public static Decoding uncached(Model model, int[][] prompts, int output) {
        long started = System.nanoTime();
        int[][] rows = Arrays.stream(prompts).map(int[]::clone).toArray(int[][]::new);
        int[][] outputs = new int[prompts.length][output];
        for (int t = 0; t < output; t++) {
            float[][] logits = model.nextTokenLogits(rows);
            for (int b = 0; b < rows.length; b++) {
                outputs[b][t] = argmax(logits[b], b);
                if (t + 1 < output) {   // the last token is never fed back
                    rows[b] = Arrays.copyOf(rows[b], rows[b].length + 1);
                    rows[b][rows[b].length - 1] = outputs[b][t];
                }
            }
        }
        return new Decoding(outputs, (System.nanoTime() - started) / 1e9, output);
    }

    /** Greedy decoding over the model's session: one prefill, then one step of every row per token. */
    public static Decoding cached(Model model, int[][] prompts, int output) {
        long started = System.nanoTime();
        int[][] outputs = new int[prompts.length][output];
        int[] rows = new int[prompts.length];
        Arrays.setAll(rows, b -> b);
        int[] next = new int[prompts.length];
        try (DecodeSession session = model.openSession()) {
            float[][] logits = session.prefill(prompts);
            for (int t = 0; t < output; t++) {
                for (int b = 0; b < prompts.length; b++) {
                    next[b] = argmax(logits[b], b);
                    outputs[b][t] = next[b];
                }
                if (t + 1 < output) {
                    logits = session.step(rows, next);
                }
            }
            return new Decoding(outputs, (System.nanoTime() - started) / 1e9, session.forwardPasses());
        }
    }

    /** The index of the largest logit, ties to the lowest index as the greedy sampler breaks them. */
    static int argmax(float[] logits, int row) {
        int best = 0;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) {
                throw new IllegalStateException("NaN logits for row " + row + " (token " + v + ")");
            }
            if (logits[v] > logits[best]) {
                best = v;
            }
        }
        return best;
    }
}
