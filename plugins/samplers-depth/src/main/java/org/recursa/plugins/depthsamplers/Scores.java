package org.recursa.plugins.depthsamplers;

/** Arithmetic on one row of logits. */
final class Scores {

    private Scores() {
    }

    /** The padding id of every Recursa vocabulary, which no sampler generates. */
    static final int PAD = org.recursa.api.decode.SpecialTokens.STANDARD.pad();

    /**
     * The index of the largest logit other than padding (never generated, as greedy), ties to the lowest index; NaN
     * logits are a model failure.
     */
    static int argmax(float[] logits) {
        int best = -1;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) {
                throw new IllegalStateException("the model returned NaN logits (token " + v + "); it has diverged");
            }
            if (v != PAD && (best < 0 || logits[v] > logits[best])) {
                best = v;
            }
        }
        return best;
    }

    /** log softmax(logits)[token]. */
    static double logProbability(float[] logits, int token) {
        return logits[token] - logSumExp(logits);
    }

    /** softmax(logits). */
    static double[] probabilities(float[] logits) {
        double norm = logSumExp(logits);
        double[] p = new double[logits.length];
        for (int v = 0; v < p.length; v++) {
            p[v] = Math.exp(logits[v] - norm);
        }
        return p;
    }

    /** KL(p || q) in nats; terms with p = 0 count 0. */
    static double divergence(double[] p, double[] q) {
        double sum = 0;
        for (int v = 0; v < p.length; v++) {
            if (p[v] > 0) {
                sum += p[v] * (Math.log(p[v]) - Math.log(Math.max(q[v], Double.MIN_NORMAL)));
            }
        }
        return Math.max(0, sum);
    }

    private static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return max + Math.log(sum);
    }
}
