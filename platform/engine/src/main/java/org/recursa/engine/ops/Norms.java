package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.kernel.HeapFloats;
import org.recursa.engine.kernel.LayerNormKernel;

/** Layer and RMS normalisation over the last dimension of (N, C) activations. */
public final class Norms {

    private Norms() {
    }

    /**
     * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}, statistics per row.
     *
     * @param x     (N, C)
     * @param gamma (C)
     * @param beta  (C), or null
     */
    public static Var layerNorm(Tape tape, Var x, Var gamma, Var beta, double eps) {
        boolean floats = HeapFloats.applies(x.value(), gamma.value(), beta == null ? null : beta.value());
        return floats && x.value().rank() == 2 ? layerNormKernel(tape, x, gamma, beta, eps)
                : layerNormReference(tape, x, gamma, beta, eps);
    }

    /** Float32: one pass over each row each way ({@link LayerNormKernel}). */
    private static Var layerNormKernel(Tape tape, Var x, Var gamma, Var beta, double eps) {
        INDArray v = x.value();
        int rows = Math.toIntExact(v.rows());
        int cols = Math.toIntExact(v.columns());
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        INDArray y = v.ulike();
        LayerNormKernel.forward(HeapFloats.input(v), HeapFloats.read(gamma.value(), 1),
                beta == null ? null : HeapFloats.read(beta.value(), 2), HeapFloats.output(y), mean, rstd, rows, cols,
                eps);
        Var out = new Var(y, tape.needsGrad(x, gamma, beta));
        tape.record(() -> {
            // gamma's gradient is always computed here (cheap), and only stored when gamma wants it.
            float[] dgamma = gamma.requiresGrad() ? HeapFloats.read(gamma.grad(), 3) : new float[cols];
            float[] dbeta = beta != null && beta.requiresGrad() ? HeapFloats.read(beta.grad(), 4) : null;
            INDArray gradient = x.requiresGrad() ? GradientPool.takeLike(v) : null;
            LayerNormKernel.backward(HeapFloats.input(out.grad()), HeapFloats.input(v),
                    HeapFloats.read(gamma.value(), 2), mean, rstd,
                    gradient == null ? null : HeapFloats.output(gradient), dgamma, dbeta, rows, cols);
            if (gamma.requiresGrad()) {
                HeapFloats.write(dgamma, gamma.grad());
            }
            if (dbeta != null) {
                HeapFloats.write(dbeta, beta.grad());
            }
            Gradients.release(out);
            if (gradient != null) {
                Gradients.adopt(x, gradient);
            }
        }, x, gamma, beta);
        return out;
    }

    /** Any precision, as a chain of ND4J ops; the finite-difference tests check this one in double. */
    private static Var layerNormReference(Tape tape, Var x, Var gamma, Var beta, double eps) {
        INDArray mean = x.value().mean(true, 1);                                   // (N, 1)
        INDArray centered = x.value().subColumnVector(mean);                       // (N, C)
        INDArray variance = centered.mul(centered).mean(true, 1);                  // (N, 1)
        INDArray rstd = Transforms.pow(variance.addi(eps), -0.5, false);          // (N, 1)
        INDArray xhat = centered.muliColumnVector(rstd);                           // (N, C)
        INDArray y = xhat.mulRowVector(gamma.value());
        if (beta != null) {
            y.addiRowVector(beta.value());
        }
        Var out = new Var(y, tape.needsGrad(x, gamma, beta));
        tape.record(() -> {
            INDArray dy = out.grad();
            if (gamma.requiresGrad()) {
                gamma.grad().addi(dy.mul(xhat).sum(0));
            }
            if (beta != null && beta.requiresGrad()) {
                beta.grad().addi(dy.sum(0));
            }
            if (x.requiresGrad()) {
                INDArray dxhat = dy.mulRowVector(gamma.value());
                INDArray meanD = dxhat.mean(true, 1);
                INDArray meanDx = dxhat.mul(xhat).mean(true, 1);
                INDArray dx = dxhat.subiColumnVector(meanD).subi(xhat.mulColumnVector(meanDx)).muliColumnVector(rstd);
                Gradients.adopt(x, dx);
            }
        }, x, gamma, beta);
        return out;
    }

    /**
     * Affine-free RMS normalisation, {@code y = x / sqrt(mean(x^2) + eps)}, statistics per row: PyTorch's
     * {@code nn.RMSNorm(C, elementwise_affine=False)}, the norm inside LoopFormer's blocks, whose modulation
     * supplies the scale a gain would.
     *
     * @param x (N, C)
     * @since 0.7.0
     */
    public static Var rmsNorm(Tape tape, Var x, double eps) {
        INDArray v = x.value();
        INDArray rstd = Transforms.pow(v.mul(v).mean(true, 1).addi(eps), -0.5, false);  // (N, 1)
        INDArray y = v.mulColumnVector(rstd);                                            // (N, C)
        Var out = new Var(y, tape.needsGrad(x));
        tape.record(() -> {
            // dx = rstd * (dy - y * mean(dy * y)): the gradient of x / rms(x) with y the normalised row
            INDArray dy = out.grad();
            INDArray meanDy = dy.mul(y).mean(true, 1);                                   // (N, 1)
            Gradients.adopt(x, dy.sub(y.mulColumnVector(meanDy)).muliColumnVector(rstd));
            Gradients.release(out);
        }, x);
        return out;
    }
}
