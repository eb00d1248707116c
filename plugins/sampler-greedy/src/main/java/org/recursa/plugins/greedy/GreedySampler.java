package org.recursa.plugins.greedy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Model;

/**
 * Greedy decoding: at every step each unfinished row gets its most likely next token. All unfinished rows
 * go to the model in one call per step, so the number of calls is the longest row's length, not the sum.
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
        List<int[]> prompts = request.prompts();
        int[][] rows = prompts.toArray(new int[0][]);
        int[] generated = new int[rows.length];
        boolean[] done = new boolean[rows.length];
        long calls = 0;
        long tokens = 0;
        for (int step = 0; step < request.maxNewTokens(); step++) {
            List<Integer> active = new ArrayList<>();
            for (int r = 0; r < rows.length; r++) {
                // A row stops before it would ask the model about a sequence longer than it accepts.
                if (!done[r] && rows[r].length < maxLength) {
                    active.add(r);
                } else {
                    done[r] = true;
                }
            }
            if (active.isEmpty()) {
                break;
            }
            float[][] logits = model.nextTokenLogits(active.stream().map(r -> rows[r]).toArray(int[][]::new));
            calls++;
            for (int i = 0; i < active.size(); i++) {
                int r = active.get(i);
                int token = argmax(logits[i], r);
                tokens++;
                if (token == request.stopToken()) {
                    done[r] = true;
                } else {
                    rows[r] = Arrays.copyOf(rows[r], rows[r].length + 1);
                    rows[r][rows[r].length - 1] = token;
                    generated[r]++;
                }
            }
        }
        List<int[]> outputs = new ArrayList<>(rows.length);
        for (int r = 0; r < rows.length; r++) {
            outputs.add(Arrays.copyOfRange(rows[r], rows[r].length - generated[r], rows[r].length));
        }
        return new Decoded(outputs, calls, tokens, (System.nanoTime() - start) / 1e9);
    }

    /** The index of the largest logit; ties go to the lowest index so that decoding is deterministic. */
    static int argmax(float[] logits, int row) {
        int best = 0;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) {
                throw new IllegalStateException("the model returned NaN logits for row " + row + " (token " + v
                        + "); the model has diverged");
            }
            if (logits[v] > logits[best]) {
                best = v;
            }
        }
        return best;
    }
}
