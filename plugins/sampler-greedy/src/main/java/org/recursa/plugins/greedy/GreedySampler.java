package org.recursa.plugins.greedy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Hypothesis;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;

/**
 * Greedy decoding: at every step each unfinished row gets its most likely next token. The prompts go to the model's
 * decode session once; after that each step extends only the unfinished rows, all in one call, so the number of
 * calls is one plus the longest row's length, not the sum. A row ends at the stop token, after
 * {@code maxNewTokens} tokens, or when it fills the model's maximum length.
 */
public final class GreedySampler implements Sampler {

    /** Creates the sampler; it holds no state. */
    public GreedySampler() {
    }

    @Override
    public String id() {
        return "greedy";
    }

    @Override
    public String description() {
        return "Argmax decoding, one token at a time";
    }

    @Override
    public Decoded decode(Model model, DecodeRequest request, Config settings) {
        long start = System.nanoTime();
        int maxLength = model.info().maxLength();
        int pad = request.special().pad();
        List<int[]> prompts = request.prompts();
        int[][] outputs = new int[prompts.size()][Math.min(request.maxNewTokens(), maxLength)];
        int[] generated = new int[prompts.size()];
        double[] logProbabilities = new double[prompts.size()];
        int[][] depths = new int[prompts.size()][Math.min(request.maxNewTokens(), maxLength) + 1];
        int[] depthCounts = new int[prompts.size()];
        // A row whose prompt already fills the model has no room for a token: it is not sent at all.
        int[] rows = IntStream.range(0, prompts.size())
                .filter(r -> request.maxNewTokens() > 0 && prompts.get(r).length < maxLength).toArray();
        long tokens = 0;
        long calls = 0;
        long flops = 0;
        if (rows.length > 0) {
            try (DecodeSession session = model.openSession()) {
                float[][] logits = session.prefill(Arrays.stream(rows).mapToObj(prompts::get).toArray(int[][]::new));
                int[] sessionRows = new int[rows.length];
                Arrays.setAll(sessionRows, i -> i);
                while (rows.length > 0) {
                    int[] spent = session.lastDepths();                // recursions behind these logits, if any
                    int continuing = 0;
                    int[] nextTokens = new int[rows.length];
                    for (int i = 0; i < rows.length; i++) {
                        int r = rows[i];
                        int token = argmax(logits[i], r, pad);
                        logProbabilities[r] += logSoftmax(logits[i], token);
                        if (spent.length > 0) {
                            depths[r][depthCounts[r]++] = spent[i];
                        }
                        tokens++;
                        if (token == request.stopToken()) {
                            continue;
                        }
                        outputs[r][generated[r]++] = token;
                        // The next step would append token: it must leave room for one more after it.
                        if (generated[r] < request.maxNewTokens() && prompts.get(r).length + generated[r] < maxLength) {
                            rows[continuing] = r;
                            sessionRows[continuing] = sessionRows[i];
                            nextTokens[continuing++] = token;
                        }
                    }
                    rows = Arrays.copyOf(rows, continuing);
                    sessionRows = Arrays.copyOf(sessionRows, continuing);
                    if (continuing > 0) {
                        logits = session.step(sessionRows, Arrays.copyOf(nextTokens, continuing));
                    }
                }
                calls = session.forwardPasses();
                flops = session.flops();
            }
        }
        List<int[]> results = new ArrayList<>(prompts.size());
        List<List<Hypothesis>> nBest = new ArrayList<>(prompts.size());
        List<int[]> depthLists = new ArrayList<>(prompts.size());
        for (int r = 0; r < prompts.size(); r++) {
            int[] output = Arrays.copyOf(outputs[r], generated[r]);
            results.add(output);
            nBest.add(List.of(new Hypothesis(output, logProbabilities[r], logProbabilities[r])));
            depthLists.add(Arrays.copyOf(depths[r], depthCounts[r]));
        }
        return new Decoded(results, calls, tokens, (System.nanoTime() - start) / 1e9, logProbabilities, nBest,
                depthLists, flops);
    }

    /**
     * The index of the largest logit other than padding (which is never generated); ties go to the lowest index so
     * that decoding is deterministic.
     */
    static int argmax(float[] logits, int row, int pad) {
        int best = -1;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) {
                throw new IllegalStateException("the model returned NaN logits for row " + row + " (token " + v
                        + "); the model has diverged");
            }
            if (v != pad && (best < 0 || logits[v] > logits[best])) {
                best = v;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("the model's vocabulary holds no token but padding");
        }
        return best;
    }

    /** The model's log-probability of {@code token}: log-softmax over the whole vocabulary, in double. */
    static double logSoftmax(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return logits[token] - max - Math.log(sum);
    }
}
