package org.recursa.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;

/**
 * A value on the tape and, after {@link Tape#backward(Var)}, the gradient of the loss with respect to it.
 * Gradients accumulate: an op's backward pass adds into {@link #grad()}, never overwrites it.
 */
public class Var {

    static {
        // The engine's ops manage gradient buffers through Gradients; plugins cannot reach it (engine.host is
        // not exported), so buffer ownership stays out of the public contract.
        Gradients.install(new Gradients.Access() {
            @Override
            public void adopt(Var var, INDArray delta) {
                var.adoptGrad(delta);
            }

            @Override
            public void release(Var var) {
                var.releaseGrad();
            }
        });
    }

    private final INDArray value;
    private final boolean requiresGrad;
    private INDArray grad;

    /**
     * @param value        the value; owned by this variable from now on
     * @param requiresGrad whether backward passes should compute a gradient for it
     */
    public Var(INDArray value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    /** A constant: no gradient flows into it. */
    public static Var constant(INDArray value) {
        return new Var(value, false);
    }

    /** The value. */
    public INDArray value() {
        return value;
    }

    /** Whether a gradient is computed for this variable. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The gradient, allocated as zeros on first use. */
    public INDArray grad() {
        if (grad == null) {
            grad = value.like();   // zeros: ulike() inside a Scratch returns stale memory
        }
        return grad;
    }

    /** Whether any gradient has reached this variable. */
    public boolean hasGrad() {
        return grad != null;
    }

    /** Adds {@code delta} (same shape as the value) into the gradient, if this variable needs one. */
    public void accumulate(INDArray delta) {
        if (!requiresGrad) {
            return;
        }
        if (grad == null) {
            grad = value.ordering() == 'c' ? GradientPool.takeLike(value).assign(delta.reshape(value.shape()))
                    : delta.dup(value.ordering()).reshape(value.shape());
        } else {
            grad.addi(delta.reshape(value.shape()));
        }
    }

    /** {@link Gradients#adopt}. */
    void adoptGrad(INDArray delta) {
        if (requiresGrad && grad == null && delta.ordering() == value.ordering()
                && java.util.Arrays.equals(delta.shape(), value.shape()) && !delta.isView()) {
            grad = delta;
            return;
        }
        accumulate(delta);
        GradientPool.release(delta);
    }

    /** {@link Gradients#release}. */
    void releaseGrad() {
        if (grad != null && GradientPool.release(grad)) {
            grad = null;
        }
    }

    /** Forgets the gradient (parameters are reused across steps; intermediates are simply dropped). */
    public void zeroGrad() {
        if (grad != null) {
            grad.assign(0);
        }
    }

    /** Shape of the value. */
    public long[] shape() {
        return value.shape();
    }
}
