package org.recursa.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.GradientSlots;
import org.recursa.engine.host.Scratch;

/**
 * A trainable weight with a stable, dotted name such as {@code block.0.attn.qkv.weight}.
 *
 * <p>Its gradient has one buffer per data-parallel worker ({@link GradientSlots}): {@link #grad()} and {@link
 * #accumulate} act on the buffer of the calling thread's slot, so workers that back-propagate shards of one batch
 * at once never add into the same memory. Outside data-parallel training every thread uses slot 0.
 */
public final class Parameter extends Var {

    static {
        GradientSlots.install(new GradientSlots.Access() {
            @Override
            public void reserve(Parameter parameter, int slots) {
                parameter.reserveSlots(slots);
            }

            @Override
            public void reduce(Parameter parameter) {
                parameter.reduceSlots();
            }
        });
    }

    private final String name;
    // Allocated with the parameter, outside any Scratch, so that they survive every pass. Slot 0 is the one the
    // optimiser reads; the array is replaced, never resized in place, so a reader sees a complete one.
    private volatile INDArray[] gradients;
    private volatile boolean[] touched;

    /**
     * @param name  dotted path, unique within a model
     * @param value initial value; owned by the parameter
     */
    public Parameter(String name, INDArray value) {
        super(value, true);
        this.name = name;
        this.gradients = new INDArray[] {Scratch.outside(value::like)};
        this.touched = new boolean[1];
    }

    @Override
    public INDArray grad() {
        int slot = slot();
        touched[slot] = true;
        return gradients[slot];
    }

    @Override
    public boolean hasGrad() {
        return touched[slot()];
    }

    @Override
    public void accumulate(INDArray delta) {
        int slot = slot();
        touched[slot] = true;
        gradients[slot].addi(delta.reshape(gradients[slot].shape()));
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

    /** Clears the calling thread's slot. */
    @Override
    public void zeroGrad() {
        int slot = slot();
        gradients[slot].assign(0);
        touched[slot] = false;
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
        return name + Arrays.toString(shape());
    }

    private int slot() {
        int slot = GradientSlots.current();
        if (slot >= gradients.length) {
            throw new IllegalStateException("gradient slot " + slot + " of " + name + " was not reserved ("
                    + gradients.length + " reserved)");
        }
        return slot;
    }

    private synchronized void reserveSlots(int slots) {
        if (slots <= gradients.length) {
            return;
        }
        INDArray[] more = Arrays.copyOf(gradients, slots);
        for (int s = gradients.length; s < slots; s++) {
            more[s] = Scratch.outside(value()::like);
        }
        boolean[] flags = Arrays.copyOf(touched, slots);
        gradients = more;
        touched = flags;
    }

    /** Slot 0 += slot 1 + slot 2 + ..., one slot after the other, so that the sum's rounding is always the same. */
    private void reduceSlots() {
        for (int s = 1; s < gradients.length; s++) {
            if (touched[s]) {
                gradients[0].addi(gradients[s]);
                touched[0] = true;
                gradients[s].assign(0);
                touched[s] = false;
            }
        }
    }
}
