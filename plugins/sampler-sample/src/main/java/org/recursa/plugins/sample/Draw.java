package org.recursa.plugins.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One token drawn from a row's logits: padding is removed, the logits are divided by the temperature, the top-k
 * most likely tokens are kept, then the shortest run of most likely tokens whose probability reaches top-p, and
 * a token is drawn from what is left in proportion to its probability.
 */
final class Draw {

    private Draw() {
    }

    /**
     * Draws the next token of a row.
     *
     * @param logits      the model's logits for the row
     * @param row         the row's index in the request, for the error message
     * @param pad         the padding id, never drawn
     * @param temperature divides the logits (> 0)
     * @param topK        keep the k most likely tokens; 0 keeps all
     * @param topP        keep the shortest run of most likely tokens whose probability reaches p, in (0, 1]
     * @param random      the row's random stream; exactly one number is taken from it
     */
    static int token(float[] logits, int row, int pad, double temperature, int topK, double topP,
                     SplittableRandom random) {
        double u = random.nextDouble();
        int[] order = ranked(logits, row, pad);
        int keep = topK > 0 ? Math.min(topK, order.length) : order.length;
        double top = logits[order[0]];
        if (Double.isInfinite(top)) {
            return order[0];                        // -inf everywhere, or +inf somewhere: nothing to weigh
        }
        // Weights relative to the most likely token: exp((x - max) / T) never overflows, even for a tiny T.
        double[] weights = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp((logits[order[i]] - top) / temperature);
            total += weights[i];
        }
        int nucleus = keep;
        double mass = 0;
        for (int i = 0; i < keep; i++) {
            mass += weights[i];
            if (mass >= topP * total) {
                nucleus = i + 1;
                break;
            }
        }
        double kept = 0;
        for (int i = 0; i < nucleus; i++) {
            kept += weights[i];
        }
        double target = u * kept;
        double sum = 0;
        for (int i = 0; i < nucleus; i++) {
            sum += weights[i];
            if (target < sum) {
                return order[i];
            }
        }
        return order[nucleus - 1];                  // rounding left target at the very top
    }

    /** Every id but padding, most likely first; among equal logits the lowest id first. */
    static int[] ranked(float[] logits, int row, int pad) {
        Integer[] ids = new Integer[logits.length - (pad >= 0 && pad < logits.length ? 1 : 0)];
        int n = 0;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) {
                throw new IllegalStateException("the model returned NaN logits for row " + row + " (token " + v
                        + "); the model has diverged");
            }
            if (v != pad) {
                ids[n++] = v;
            }
        }
        if (n == 0) {
            throw new IllegalStateException("the model's vocabulary holds no token but padding");
        }
        Arrays.sort(ids, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
        return Arrays.stream(ids).mapToInt(Integer::intValue).toArray();
    }
}
