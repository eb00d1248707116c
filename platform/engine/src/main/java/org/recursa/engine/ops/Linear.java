package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.HeapFloats;

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
        INDArray y = product(x.value(), false, w.value(), false, null);
        if (b != null) {
            y.addiRowVector(b.value());
        }
        Var out = new Var(y, tape.needsGrad(x, w, b));
        tape.record(() -> {
            INDArray dy = out.grad();
            if (x.requiresGrad()) {
                x.accumulateOwned(product(dy, false, w.value(), true, null));
            }
            if (w.requiresGrad()) {
                product(x.value(), true, dy, false, w.grad());
            }
            if (b != null && b.requiresGrad()) {
                addColumnSums(dy, b.grad());
            }
        }, x, w, b);
        return out;
    }

    /** {@code op(a) op(b)}, into a new array, or added into {@code into} when it is given. */
    static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray into) {
        if (Blas.applies(a, b) && (into == null || Blas.applies(into))) {
            INDArray c = into != null ? into : Nd4j.createUninitialized(a.dataType(),
                    transposeA ? a.columns() : a.rows(), transposeB ? b.rows() : b.columns());
            Blas.matmul(a, transposeA, b, transposeB, c, 1, into != null ? 1 : 0);
            return c;
        }
        return into != null ? Nd4j.gemm(a, b, into, transposeA, transposeB, 1.0, 1.0) : Nd4j.gemm(a, b, transposeA, transposeB);
    }

    private static void addColumnSums(INDArray dy, INDArray biasGrad) {
        int rows = Math.toIntExact(dy.rows());
        int cols = Math.toIntExact(dy.columns());
        if (Blas.applies(dy) && HeapFloats.applies(biasGrad)) {
            Blas.addColumnSums(dy, biasGrad);
        } else {
            // Column sums as a GEMM with a row of ones: one BLAS call instead of a strided reduction.
            INDArray ones = Nd4j.ones(dy.dataType(), 1, rows);
            Nd4j.gemm(ones, dy, biasGrad.reshape(1, cols), false, false, 1.0, 1.0);
        }
    }
}
