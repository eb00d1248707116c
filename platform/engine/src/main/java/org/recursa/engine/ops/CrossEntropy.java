package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.Gradients;

/** Mean cross-entropy of logits against target ids, skipping positions whose target is the ignore index. */
public final class CrossEntropy {

    /** Targets with this value contribute nothing (PyTorch's default {@code ignore_index}). */
    public static final int IGNORE = -100;

    private CrossEntropy() {
    }

    /**
     * @param logits  (N, V)
     * @param targets N ids in [0, V) or {@link #IGNORE}
     * @return a scalar: the mean over counted positions (0 if none is counted)
     */
    public static Var apply(Tape tape, Var logits, int[] targets) {
        INDArray z = logits.value();
        int n = (int) z.rows();
        int v = (int) z.columns();
        if (targets.length != n) {
            throw new IllegalArgumentException(targets.length + " targets for " + n + " rows of logits");
        }
        int[] safe = new int[n];
        float[] weights = new float[n];
        int counted = 0;
        for (int i = 0; i < n; i++) {
            if (targets[i] != IGNORE) {
                if (targets[i] < 0 || targets[i] >= v) {
                    throw new IllegalArgumentException("target " + targets[i] + " outside [0, " + v + ")");
                }
                safe[i] = targets[i];
                weights[i] = 1f;
                counted++;
            }
        }
        INDArray oneHot = Embedding.oneHot(safe, v, z.dataType());                     // (N, V)
        INDArray mask = Nd4j.create(weights, new long[] {n, 1}).castTo(z.dataType());  // (N, 1)
        INDArray max = z.max(true, 1);
        INDArray shifted = z.subColumnVector(max);
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sumExp = exp.sum(true, 1);
        INDArray logSumExp = Transforms.log(sumExp, true);                            // (N, 1)
        INDArray picked = shifted.mul(oneHot).sum(true, 1);                             // (N, 1)
        double scale = counted == 0 ? 0 : 1.0 / counted;
        double loss = logSumExp.sub(picked).muli(mask).sumNumber().doubleValue() * scale;
        Var out = new Var(Nd4j.scalar(z.dataType(), loss).reshape(1), tape.needsGrad(logits));
        tape.record(() -> {
            INDArray probabilities = exp.diviColumnVector(sumExp);
            INDArray d = probabilities.subi(oneHot).muliColumnVector(mask).muli(scale * out.grad().getDouble(0));
            Gradients.adopt(logits, d);
        }, logits);
        return out;
    }
}
