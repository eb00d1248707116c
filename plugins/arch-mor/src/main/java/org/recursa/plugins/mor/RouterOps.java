package org.recursa.plugins.mor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/** The two ops routers need beyond the engine's: a row softmax and binary cross-entropy on logits. */
final class RouterOps {

    private RouterOps() {
    }

    /** Softmax over each row of (N, K) logits. */
    static Var softmax(Tape tape, Var logits) {
        INDArray p = Nd4j.exec(new SoftMax(logits.value(), logits.value().ulike(), 1))[0];
        Var out = new Var(p, tape.needsGrad(logits));
        tape.record(() -> {
            INDArray dp = out.grad();
            INDArray rowDot = dp.mul(p).sum(true, 1);                       // (N, 1)
            logits.accumulate(dp.subColumnVector(rowDot).muli(p));
        }, logits);
        return out;
    }

    /**
     * {@code sum_i weight_i * BCEWithLogits(z_i, target_i)} = {@code sum_i w_i (softplus(z_i) - t_i z_i)}, a scalar.
     *
     * @param logits  (N, 1)
     * @param targets (N, 1) zeros and ones
     * @param weights (N, 1) per-row weights (0 drops a row)
     */
    static Var bceWithLogits(Tape tape, Var logits, INDArray targets, INDArray weights) {
        INDArray z = logits.value();
        // softplus(z) = max(z, 0) + log(1 + exp(-|z|)), stable for large |z|
        INDArray softplus = Transforms.relu(z, true).addi(Transforms.log(Transforms.exp(Transforms.abs(z, true).negi(),
                false).addi(1), false));
        double loss = softplus.subi(targets.mul(z)).muli(weights).sumNumber().doubleValue();
        Var out = new Var(Nd4j.scalar(z.dataType(), loss).reshape(1), tape.needsGrad(logits));
        tape.record(() -> {
            double upstream = out.grad().getDouble(0);
            INDArray dz = Transforms.sigmoid(z, true).subi(targets).muli(weights).muli(upstream);
            logits.accumulate(dz);
        }, logits);
        return out;
    }
}
