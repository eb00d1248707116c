package org.recursa.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.kernel.HeapFloats;
import org.recursa.engine.kernel.LayerNormKernel;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Norms;

/**
 * A plain residual sum and the layer norm of it, {@code s = a + b}, {@code y = LN(s)}, as a pre-norm block has
 * them between its two branches. In float one kernel pass does both ({@link LayerNormKernel#forwardSum}) and the
 * backward pass adds s's own gradient into the norm's in the same pass, where the separate ops write s and read
 * it again, and write the norm's input gradient into a fresh array only to add it to s's. Other precisions run
 * the separate ops (which the finite-difference tests check).
 */
final class AddNorm {

    private AddNorm() {
    }

    /**
     * The sum and its norm.
     *
     * @param sum    s (N, C), the residual stream
     * @param normed y (N, C)
     */
    record Result(Var sum, Var normed) {
    }

    /**
     * @param a     (N, C)
     * @param b     (N, C)
     * @param gamma (C)
     * @param beta  (C)
     */
    static Result apply(Tape tape, Var a, Var b, Var gamma, Var beta, double eps) {
        INDArray v = a.value();
        boolean kernel = HeapFloats.applies(v, b.value(), gamma.value(), beta.value()) && v.rank() == 2
                && java.util.Arrays.equals(v.shape(), b.value().shape());
        if (!kernel) {
            Var sum = Elementwise.add(tape, a, b);
            return new Result(sum, Norms.layerNorm(tape, sum, gamma, beta, eps));
        }
        int rows = Math.toIntExact(v.rows());
        int cols = Math.toIntExact(v.columns());
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        INDArray s = Nd4j.createUninitialized(v.dataType(), v.shape(), 'c');
        INDArray y = Nd4j.createUninitialized(v.dataType(), v.shape(), 'c');
        LayerNormKernel.forwardSum(HeapFloats.input(v), HeapFloats.input(b.value()),
                HeapFloats.read(gamma.value(), 1), HeapFloats.read(beta.value(), 2), HeapFloats.output(s),
                HeapFloats.output(y), mean, rstd, rows, cols, eps);
        Var sum = new Var(s, tape.needsGrad(a, b, gamma, beta));
        Var normed = new Var(y, sum.requiresGrad());
        tape.record(() -> backward(sum, normed, a, b, gamma, beta, mean, rstd), a, b, gamma, beta);
        return new Result(sum, normed);
    }

    /** Both outputs' readers have run their backward passes: one pass gives s's whole gradient, a's and b's. */
    private static void backward(Var sum, Var normed, Var a, Var b, Var gamma, Var beta, float[] mean,
                                 float[] rstd) {
        INDArray s = sum.value();
        int rows = Math.toIntExact(s.rows());
        int cols = Math.toIntExact(s.columns());
        // gamma's and beta's gradients are always computed (cheap), and only stored when wanted.
        float[] dgamma = gamma.requiresGrad() ? HeapFloats.read(gamma.grad(), 3) : new float[cols];
        float[] dbeta = beta.requiresGrad() ? HeapFloats.read(beta.grad(), 4) : new float[cols];
        INDArray ds = GradientPool.takeLike(s);
        LayerNormKernel.backwardSum(HeapFloats.input(normed.grad()), HeapFloats.input(s),
                sum.hasGrad() ? HeapFloats.input(sum.grad()) : null, HeapFloats.read(gamma.value(), 2), mean, rstd,
                HeapFloats.output(ds), dgamma, dbeta, rows, cols);
        if (gamma.requiresGrad()) {
            HeapFloats.write(dgamma, gamma.grad());
        }
        if (beta.requiresGrad()) {
            HeapFloats.write(dbeta, beta.grad());
        }
        Gradients.release(normed);
        Gradients.release(sum);
        b.accumulate(ds);
        Gradients.adopt(a, ds);
    }
}
