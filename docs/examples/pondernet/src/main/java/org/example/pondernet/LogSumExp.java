package org.example.pondernet;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/** Row-wise {@code logsumexp(x) = log sum_v exp(x_v)}, (R, V) to (R, 1); {@code dL/dx = G softmax(x)}. */
final class LogSumExp {

    private LogSumExp() {
    }

    static Var rows(Tape tape, Var x) {
        INDArray max = x.value().max(true, 1);
        INDArray exp = Transforms.exp(x.value().subColumnVector(max), true);
        INDArray sum = exp.sum(true, 1);
        Var out = new Var(Transforms.log(sum, true).addi(max), tape.needsGrad(x));
        tape.record(() -> x.accumulate(exp.divColumnVector(sum).muliColumnVector(out.grad())), x);
        return out;
    }
}
