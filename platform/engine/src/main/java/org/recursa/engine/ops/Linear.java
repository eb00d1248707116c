package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.HeapFloats;

/**
 * {@code y = x W^T + b}: the affine map of every transformer layer, with the weight stored (out, in) as in
 * PyTorch's {@code nn.Linear}. In this layout the three products of a layer reach OpenBLAS with the same
 * transpositions as PyTorch's, and the weight gradient {@code dy^T x} is written straight into the weight's
 * layout; the (in, out) layout cost about 2% of a training step more (measured, docs/benchmarks.md).
 */
public final class Linear {

    private Linear() {
    }

    /**
     * @param x input (N, in)
     * @param w weight (out, in)
     * @param b bias (out), or null
     * @return (N, out)
     */
    public static Var apply(Tape tape, Var x, Var w, Var b) {
        INDArray y = affine(x.value(), w.value(), b == null ? null : b.value());
        Var out = new Var(y, tape.needsGrad(x, w, b));
        tape.record(() -> {
            INDArray dy = out.grad();
            if (x.requiresGrad()) {
                INDArray dx = GradientPool.take(dy.dataType(), dy.rows(), w.value().columns());
                Gradients.adopt(x, product(dy, false, w.value(), false, dx, 0));
            }
            if (w.requiresGrad()) {
                product(dy, true, x.value(), false, w.grad(), 1);
            }
            if (b != null && b.requiresGrad()) {
                Elementwise.addColumnSums(dy, b.grad());
            }
            Gradients.release(out);
        }, x, w, b);
        return out;
    }

    /**
     * {@code x w^T + b}. On the BLAS path the bias is copied into the output first and the product added onto it
     * ({@code beta = 1}): with {@code beta = 0} OpenBLAS would clear the output before the product and the bias
     * would then take another read-and-write pass.
     */
    private static INDArray affine(INDArray x, INDArray w, INDArray b) {
        if (b == null) {
            return product(x, false, w, true, null, 0);
        }
        if (!Blas.applies(x, w) || !HeapFloats.applies(b)) {
            return product(x, false, w, true, null, 0).addiRowVector(b);
        }
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.rows(), w.rows());
        HeapFloats.fillRows(y, b);
        return product(x, false, w, true, y, 1);
    }

    /** {@code op(a) op(b) + beta into}, or into a new array when {@code into} is null. */
    private static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray into,
                                    int beta) {
        if (into == null) {
            into = Nd4j.createUninitialized(a.dataType(), transposeA ? a.columns() : a.rows(),
                    transposeB ? b.rows() : b.columns());
            beta = 0;
        }
        if (Blas.applies(a, b, into)) {
            Blas.matmul(a, transposeA, b, transposeB, into, 1, beta);
            return into;
        }
        return Nd4j.gemm(a, b, into, transposeA, transposeB, 1.0, beta);
    }
}
