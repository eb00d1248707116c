package org.recursa.api.decode;

/**
 * What every sampler computes on one row of next-token logits: the most likely token other than padding, and the
 * model's log-probability of a token.
 *
 * @since 0.2.0
 */
public final class Logits {

    private Logits() {
    }

    /**
     * The index of the largest logit other than padding (which is never generated); ties go to the lowest index so
     * that decoding is deterministic.
     *
     * @param row the row the logits belong to, named if they hold a NaN
     * @throws IllegalStateException on a NaN logit (the model has diverged), or if padding is the only token
     */
    public static int argmax(float[] logits, int row, int pad) {
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
    public static double logProbability(float[] logits, int token) {
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
