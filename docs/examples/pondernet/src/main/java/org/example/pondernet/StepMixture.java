package org.example.pondernet;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/**
 * The halting-weighted sum of each step's log-probabilities, one row per position:
 * <pre>
 *   m = sum_n p_n log_softmax(z_n)          p_n = exp(log p_n)
 * </pre>
 * Its cross-entropy against a target y is {@code -sum_n p_n log q_n[y] + logsumexp(m)}: PonderNet's expected loss
 * {@code sum_n p_n CE(y, z_n)} plus a term that does not depend on y, which the model subtracts where the task loss
 * counts ({@link PonderNetModel}). Backward, for upstream G (R, V):
 * <pre>
 *   dL/dz_n     = p_n (G - softmax(z_n) rowsum(G))
 *   dL/dlog p_n = p_n rowsum(G * log_softmax(z_n))
 * </pre>
 */
final class StepMixture {

    private StepMixture() {
    }

    /**
     * @param logP   (R, N): log p_n per row
     * @param logits N arrays (R, V): z_n, each step's logits
     * @return (R, V): m
     */
    static Var apply(Tape tape, Var logP, List<Var> logits) {
        int steps = logits.size();
        if (logP.value().columns() != steps) {
            throw new IllegalArgumentException(logP.value().columns() + " halting probabilities for " + steps
                    + " steps");
        }
        INDArray p = Transforms.exp(logP.value(), true);                          // (R, N)
        INDArray[] logSoftmax = new INDArray[steps];
        INDArray mixture = null;
        for (int n = 0; n < steps; n++) {
            logSoftmax[n] = logSoftmax(logits.get(n).value());
            INDArray term = logSoftmax[n].mulColumnVector(p.getColumn(n, true));
            mixture = mixture == null ? term : mixture.addi(term);
        }
        Var[] inputs = new Var[steps + 1];
        inputs[0] = logP;
        for (int n = 0; n < steps; n++) {
            inputs[n + 1] = logits.get(n);
        }
        Var out = new Var(mixture, tape.needsGrad(inputs));
        tape.record(() -> {
            INDArray g = out.grad();
            INDArray gSum = g.sum(true, 1);                                        // (R, 1)
            INDArray dLogP = p.like();
            for (int n = 0; n < steps; n++) {
                INDArray pn = p.getColumn(n, true);                                // (R, 1)
                dLogP.putColumn(n, g.mul(logSoftmax[n]).sum(true, 1).muli(pn));
                Var z = logits.get(n);
                if (z.requiresGrad()) {
                    INDArray softmax = Transforms.exp(logSoftmax[n], true);
                    z.accumulate(g.sub(softmax.muliColumnVector(gSum)).muliColumnVector(pn));
                }
            }
            logP.accumulate(dLogP);
        }, inputs);
        return out;
    }

    /** Row-wise {@code z - logsumexp(z)}, shifted by the row maximum first. */
    static INDArray logSoftmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }
}
