package org.recursa.api.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;

/**
 * Decoding that picks one token per unfinished row at every step, the loop a sampler that only chooses tokens
 * needs: the prompts are prefilled once, then every unfinished row is extended in one {@code step} of the model's
 * decode session. A row ends at the stop token (not returned), after {@code maxNewTokens} tokens, or when prompt and
 * output fill the model's maximum length; a prompt that already fills it costs no call. The result carries each
 * row's log-probability (stop token included), its output as the single n-best entry, the session's depths, forward
 * passes and FLOPs.
 *
 * @since 0.2.0
 */
public final class TokenByToken {

    /** How a sampler picks the next token of a row. */
    @FunctionalInterface
    @ConsumerType
    public interface Choice {

        /**
         * @param row    the row of the request
         * @param logits the model's logits for the row's next token
         * @return the chosen token id
         */
        int token(int row, float[] logits);
    }

    private TokenByToken() {
    }

    /** Decodes every prompt of {@code request} with {@code model}, choosing each token with {@code choice}. */
    public static Decoded decode(Model model, DecodeRequest request, Choice choice) {
        long start = System.nanoTime();
        int maxLength = model.info().maxLength();
        List<int[]> prompts = request.prompts();
        int capacity = Math.min(request.maxNewTokens(), maxLength);
        int[][] outputs = new int[prompts.size()][capacity];
        int[] generated = new int[prompts.size()];
        double[] logProbabilities = new double[prompts.size()];
        int[][] depths = new int[prompts.size()][capacity + 1];
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
                        int token = choice.token(r, logits[i]);
                        logProbabilities[r] += Logits.logProbability(logits[i], token);
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
}
