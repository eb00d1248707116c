package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.host.ProductPrecision;
import org.recursa.engine.kernel.Bf16Products;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.HeapFloats;

/**
 * {@code y = x W^T + b}: the affine map of every transformer layer, with the weight stored (out, in) as in
 * PyTorch's {@code nn.Linear}. In this layout the three products of a layer reach OpenBLAS with the same
 * transpositions as PyTorch's, and the weight gradient {@code dy^T x} is written straight into the weight's
 * layout; the (in, out) layout cost about 2% of a training step more (measured, docs/benchmarks.md).
 *
 * <p>Under {@link ProductPrecision#BF16} on the calling thread all three products take bf16 operands and
 * accumulate in float32 ({@link Bf16Products}); weights, gradients and bias stay float32.
 */
public final class Linear {

    /**
     * Products with a side below this (LoRA's rank 8, a router's single output) stay float32: rounding the operands
     * costs more than bf16 saves there (measured: 2048 x 256 x 8 took 0.13 ms in float32, 0.18 ms in bf16).
     */
    private static final int BF16_MIN_SIZE = 16;

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

    /**
     * {@code op(a) op(b) + beta into}, or into a new array when {@code into} is null; in bf16 when the thread asks
     * for it and the arrays are dense float matrices (a double gradient check never is).
     */
    private static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray into,
                                    int beta) {
        if (into == null) {
            into = Nd4j.createUninitialized(a.dataType(), transposeA ? a.columns() : a.rows(),
                    transposeB ? b.rows() : b.columns());
            beta = 0;
        }
        if (Blas.applies(a, b, into)) {
            if (ProductPrecision.current() == ProductPrecision.BF16 && a.rank() == 2 && b.rank() == 2
                    && Math.min(Math.min(into.rows(), into.columns()), transposeA ? a.rows() : a.columns())
                    >= BF16_MIN_SIZE) {
                Bf16Products.matmul(a, transposeA, b, transposeB, into, beta);
                return into;
            }
            Blas.matmul(a, transposeA, b, transposeB, into, 1, beta);
            return into;
        }
        return Nd4j.gemm(a, b, into, transposeA, transposeB, 1.0, beta);
    }
}
