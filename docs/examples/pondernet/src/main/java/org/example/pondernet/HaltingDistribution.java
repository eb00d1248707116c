package org.example.pondernet;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/**
 * PonderNet's halting distribution over steps 1..N from the halting logits of steps 1..N-1, in log space:
 * <pre>
 *   lambda_n = sigmoid(a_n)
 *   log p_n  = log lambda_n + sum_{j&lt;n} log(1 - lambda_j)      n &lt; N
 *   log p_N  =                sum_{j&lt;N} log(1 - lambda_j)      the last step takes the remaining mass
 * </pre>
 * Log space because the KL term needs {@code log p_n}, which {@code log} of a product of small probabilities
 * would lose; {@code log sigmoid(x) = -softplus(-x)} is computed stably. The derivatives are
 * {@code d log p_n / d a_n = 1 - lambda_n} and {@code d log p_n / d a_j = -lambda_j} for j &lt; n, so
 * {@code dL/da_j = (1 - lambda_j) G_j - lambda_j sum_{n&gt;j} G_n}.
 */
final class HaltingDistribution {

    private HaltingDistribution() {
    }

    /**
     * @param logits (R, N-1): a_n, the halting logit of each row at steps 1..N-1
     * @return (R, N): log p_n
     */
    static Var logProbabilities(Tape tape, Var logits) {
        double[][] a = logits.value().toDoubleMatrix();
        int rows = a.length;
        int halting = (int) logits.value().columns();
        double[][] logP = new double[rows][halting + 1];
        for (int r = 0; r < rows; r++) {
            double running = 0;                                      // log prod_{j<n} (1 - lambda_j)
            for (int n = 0; n < halting; n++) {
                logP[r][n] = running - softplus(-a[r][n]);           // + log lambda_n
                running -= softplus(a[r][n]);                        // + log(1 - lambda_n)
            }
            logP[r][halting] = running;
        }
        Var out = new Var(Nd4j.create(logP).castTo(logits.value().dataType()), tape.needsGrad(logits));
        tape.record(() -> {
            double[][] g = out.grad().toDoubleMatrix();
            double[][] d = new double[rows][halting];
            for (int r = 0; r < rows; r++) {
                double later = g[r][halting];                        // sum_{n>j} G_n, built from the end
                for (int j = halting - 1; j >= 0; j--) {
                    double lambda = sigmoid(a[r][j]);
                    d[r][j] = (1 - lambda) * g[r][j] - lambda * later;
                    later += g[r][j];
                }
            }
            logits.accumulate(Nd4j.create(d).castTo(logits.value().dataType()));
        }, logits);
        return out;
    }

    /** The cumulative halting mass after each step, {@code 1 - prod_{j<=n} (1 - lambda_j)}, for one row. */
    static double cumulative(double before, double lambda) {
        return before + (1 - before) * lambda;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** {@code log(1 + e^x)} without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
