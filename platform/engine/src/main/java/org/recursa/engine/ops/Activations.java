package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.kernel.GeluKernel;
import org.recursa.engine.kernel.HeapFloats;

/** Element-wise nonlinearities. */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double CUBIC = 0.044715;

    private Activations() {
    }

    /**
     * GELU, tanh approximation (GPT-2; PyTorch {@code gelu(approximate='tanh')}):
     * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
     */
    public static Var gelu(Tape tape, Var x) {
        return HeapFloats.applies(x.value()) ? geluKernel(tape, x) : geluReference(tape, x);
    }

    /** Float32: one pass each way ({@link GeluKernel}); agrees with the reference to float rounding. */
    private static Var geluKernel(Tape tape, Var x) {
        INDArray v = x.value();
        INDArray y = v.ulike();
        GeluKernel.forward(HeapFloats.input(v), HeapFloats.output(y));
        Var out = new Var(y, tape.needsGrad(x));
        tape.record(() -> {
            INDArray gradient = GradientPool.takeLike(v);
            GeluKernel.backward(HeapFloats.input(v), HeapFloats.input(out.grad()), HeapFloats.output(gradient));
            Gradients.release(out);
            Gradients.adopt(x, gradient);
        }, x);
        return out;
    }

    /** Any precision, as a chain of ND4J ops; the finite-difference tests check this one in double. */
    private static Var geluReference(Tape tape, Var x) {
        // Written out rather than libnd4j's precise_gelu, whose result differs from this formula (see the test).
        INDArray v = x.value();
        INDArray inner = v.mul(v).muli(CUBIC).addi(1).muli(v).muli(SQRT_2_OVER_PI);
        INDArray t = Transforms.tanh(inner, false);
        INDArray y = t.add(1).muli(v).muli(0.5);
        Var out = new Var(y, tape.needsGrad(x));
        tape.record(() -> {
            // d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)
            INDArray sech2 = t.mul(t).rsubi(1);
            INDArray dInner = v.mul(v).muli(3 * CUBIC).addi(1).muli(SQRT_2_OVER_PI);
            INDArray d = sech2.muli(dInner).muli(v).muli(0.5).addi(t.add(1).muli(0.5));
            Gradients.adopt(x, d.muli(out.grad()));
        }, x);
        return out;
    }

    /** The logistic sigmoid. */
    public static Var sigmoid(Tape tape, Var x) {
        INDArray y = Transforms.sigmoid(x.value(), true);
        Var out = new Var(y, tape.needsGrad(x));
        tape.record(() -> Gradients.adopt(x, y.rsub(1).muli(y).muli(out.grad())), x);
        return out;
    }

    /**
     * SiLU (swish), {@code x sigmoid(x)}: the nonlinearity of DiT-style conditioning MLPs and AdaLN modulation.
     *
     * @since 0.7.0
     */
    public static Var silu(Tape tape, Var x) {
        INDArray sigma = Transforms.sigmoid(x.value(), true);
        INDArray y = x.value().mul(sigma);
        Var out = new Var(y, tape.needsGrad(x));
        tape.record(() -> {
            // d/dx = sigma (1 + x (1 - sigma))
            INDArray d = sigma.rsub(1).muli(x.value()).addi(1).muli(sigma);
            Gradients.adopt(x, d.muli(out.grad()));
            Gradients.release(out);
        }, x);
        return out;
    }
}
