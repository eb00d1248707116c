package org.example.pondernet;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/**
 * PonderNet's prior over the halting step, a geometric distribution with success probability {@code lambda_p}
 * truncated to N steps the way the model's own halting distribution is: a constant halting probability
 * {@code lambda_p} at steps 1..N-1, the last step taking the remaining mass, so both are distributions over 1..N:
 * <pre>
 *   g_n = lambda_p (1 - lambda_p)^(n-1)   n &lt; N;    g_N = (1 - lambda_p)^(N-1)
 * </pre>
 * and the regulariser {@code KL(p || g) = sum_n p_n (log p_n - log g_n)}, whose derivative is
 * {@code d KL / d log p_n = p_n (log p_n - log g_n + 1)}.
 */
final class GeometricPrior {

    private final double[] logG;

    /**
     * @param lambda the prior's halting probability per step, in (0, 1)
     * @param steps  N
     */
    GeometricPrior(double lambda, int steps) {
        logG = new double[steps];
        for (int n = 0; n < steps; n++) {
            logG[n] = n * Math.log1p(-lambda) + (n < steps - 1 ? Math.log(lambda) : 0);
        }
    }

    /** {@code log g_n}, first step first. */
    double[] logProbabilities() {
        return logG.clone();
    }

    /** The prior's mean halting step, {@code sum_n n g_n}. */
    double mean() {
        double mean = 0;
        for (int n = 0; n < logG.length; n++) {
            mean += (n + 1) * Math.exp(logG[n]);
        }
        return mean;
    }

    /**
     * @param logP (R, N): log p_n per row
     * @return (R, 1): KL(p || g) per row
     */
    Var divergence(Tape tape, Var logP) {
        if (logP.value().columns() != logG.length) {
            throw new IllegalArgumentException(logP.value().columns() + " halting probabilities for a prior over "
                    + logG.length + " steps");
        }
        INDArray prior = Nd4j.create(logG, new long[] {1, logG.length}).castTo(logP.value().dataType());
        INDArray gap = logP.value().subRowVector(prior);                          // log p_n - log g_n
        INDArray p = Transforms.exp(logP.value(), true);
        Var out = new Var(p.mul(gap).sum(true, 1), tape.needsGrad(logP));
        tape.record(() -> logP.accumulate(gap.add(1).muli(p).muliColumnVector(out.grad())), logP);
        return out;
    }
}
