package org.recursa.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Scratch;

/** A trainable weight with a stable, dotted name such as {@code block.0.attn.qkv.weight}. */
public final class Parameter extends Var {

    private final String name;
    // Allocated with the parameter, outside any Scratch, so that it survives every pass.
    private final INDArray gradient;
    private boolean touched;

    /**
     * @param name  dotted path, unique within a model
     * @param value initial value; owned by the parameter
     */
    public Parameter(String name, INDArray value) {
        super(value, true);
        this.name = name;
        this.gradient = Scratch.outside(value::like);
    }

    @Override
    public INDArray grad() {
        touched = true;
        return gradient;
    }

    @Override
    public boolean hasGrad() {
        return touched;
    }

    @Override
    public void accumulate(INDArray delta) {
        touched = true;
        gradient.addi(delta.reshape(gradient.shape()));
    }

    @Override
    void adoptGrad(INDArray delta) {
        accumulate(delta);
        GradientPool.release(delta);
    }

    /** A parameter's gradient lives as long as the parameter; nothing to release. */
    @Override
    void releaseGrad() {
    }

    @Override
    public void zeroGrad() {
        gradient.assign(0);
        touched = false;
    }

    /** The parameter's name. */
    public String name() {
        return name;
    }

    /** Whether weight decay applies: matrices and embeddings yes, vectors (biases, norms) no, as in GPT-2. */
    public boolean decays() {
        return value().rank() >= 2;
    }

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(shape());
    }
}
