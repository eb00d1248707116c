package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.GradientPool;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.HeapFloats;
import org.recursa.engine.kernel.TransposeKernel;

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
        INDArray y = affine(x.value(), w.value(), b == null ? null : b.value());
        Var out = new Var(y, tape.needsGrad(x, w, b));
        tape.record(() -> {
            INDArray dy = out.grad();
            if (x.requiresGrad()) {
                INDArray dx = GradientPool.take(dy.dataType(), dy.rows(), w.value().rows());
                x.accumulateOwned(product(dy, false, w.value(), true, dx, 0));
            }
            if (w.requiresGrad()) {
                addWeightGradient(x.value(), dy, w.grad());
            }
            if (b != null && b.requiresGrad()) {
                addColumnSums(dy, b.grad());
            }
            out.releaseGrad();
        }, x, w, b);
        return out;
    }

    /**
     * {@code x w + b}. On the BLAS path the bias is copied into the output first and the product added onto it
     * ({@code beta = 1}): with {@code beta = 0} OpenBLAS would clear the output before the product and the bias
     * would then take another read-and-write pass.
     */
    private static INDArray affine(INDArray x, INDArray w, INDArray b) {
        if (b == null) {
            return product(x, false, w, false, null);
        }
        if (!Blas.applies(x, w) || !HeapFloats.applies(b)) {
            return product(x, false, w, false, null).addiRowVector(b);
        }
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.rows(), w.columns());
        HeapFloats.fillRows(y, b);
        Blas.matmul(x, false, w, false, y, 1, 1);
        return y;
    }

    /** {@code op(a) op(b)}, into a new array, or added into {@code into} when it is given. */
    static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray into) {
        return product(a, transposeA, b, transposeB, into, 1);
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

    /**
     * {@code dW += x^T dy}. On the BLAS path the product is computed transposed, {@code dy^T x} (out, in), and added
     * in transposed: in this order OpenBLAS packs {@code dy}, just written and still in cache, with its slow
     * transposing copy, and {@code x}, computed long before in the forward pass, with its fast one. The other
     * order spent three times as long packing (measured in profiles of a training step); the transposed add of
     * the small weight matrix costs far less.
     */
    private static void addWeightGradient(INDArray x, INDArray dy, INDArray weightGrad) {
        if (!Blas.applies(x, dy) || !HeapFloats.applies(weightGrad)) {
            product(x, true, dy, false, weightGrad);
            return;
        }
        int in = Math.toIntExact(x.columns());
        int out = Math.toIntExact(dy.columns());
        INDArray transposed = product(dy, true, x, false, GradientPool.take(dy.dataType(), out, in), 0);
        float[] into = HeapFloats.read(weightGrad, 1);
        TransposeKernel.addTransposed(HeapFloats.read(transposed, 0), into, in, out);
        HeapFloats.write(into, weightGrad);
        GradientPool.release(transposed);
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
