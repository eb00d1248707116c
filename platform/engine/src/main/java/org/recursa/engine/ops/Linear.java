package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/** {@code y = x W + b}: the affine map of every transformer layer. */
public final class Linear {

    private Linear() {
    }

    /**
     * @param x input (N, in)
     * @param w weight (in, out)
     * @param b bias (out), or null
     * @return (N, out)
     */
    public static Var apply(Tape tape, Var x, Var w, Var b) {
        INDArray y = Nd4j.gemm(x.value(), w.value(), false, false);
        if (b != null) {
            y.addiRowVector(b.value());
        }
        Var out = new Var(y, tape.needsGrad(x, w, b));
        tape.record(() -> {
            INDArray dy = out.grad();
            if (x.requiresGrad()) {
                x.accumulateOwned(Nd4j.gemm(dy, w.value(), false, true));
            }
            if (w.requiresGrad()) {
                Nd4j.gemm(x.value(), dy, w.grad(), true, false, 1.0, 1.0);
            }
            if (b != null && b.requiresGrad()) {
                // Column sums as a GEMM with a row of ones: one BLAS call instead of a strided reduction.
                INDArray ones = Nd4j.ones(dy.dataType(), 1, dy.rows());
                Nd4j.gemm(ones, dy, b.grad().reshape(1, dy.columns()), false, false, 1.0, 1.0);
            }
        }, x, w, b);
        return out;
    }
}
