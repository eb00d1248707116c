package org.recursa.plugins.depthsamplers;

import org.recursa.api.decode.Logits;
import org.recursa.api.decode.SpecialTokens;

/** Arithmetic on one row of logits. */
final class Scores {

    private Scores() {
    }

    /** The padding id of every Recursa vocabulary, which no sampler generates. */
    static final int PAD = SpecialTokens.STANDARD.pad();

    /** The most likely token other than padding ({@link Logits#argmax}); a NaN names no row (-1). */
    static int argmax(float[] logits) {
        return Logits.argmax(logits, -1, PAD);
    }

    /** log softmax(logits)[token] ({@link Logits#logProbability}). */
    static double logProbability(float[] logits, int token) {
        return Logits.logProbability(logits, token);
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
