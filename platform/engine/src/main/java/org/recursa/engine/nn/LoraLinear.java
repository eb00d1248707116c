package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Linear;

/**
 * A linear map relaxed by a low-rank correction of its own (LoRA, Hu et al. 2021):
 * <pre>
 *   y = base(x) + (x A^T) B^T        A: (r, in)  B: (out, r)
 * </pre>
 * so that the effective weight is {@code W + B A}. Parameters {@code name.lora_a} and {@code name.lora_b}; A starts
 * from N(0, 0.02²) and B at zero, so an untrained correction changes nothing.
 */
public final class LoraLinear implements LinearMap {

    private final LinearMap base;
    private final Parameter a;
    private final Parameter b;

    private LoraLinear(LinearMap base, Parameter a, Parameter b) {
        this.base = base;
        this.a = a;
        this.b = b;
    }

    /**
     * @param rank r; must be in [1, min(in, out)] ({@link BlockLinear#rank} caps a requested rank)
     */
    public static LoraLinear create(ParameterSet parameters, String name, LinearMap base, int rank,
                                    SplittableRandom random) {
        if (rank < 1 || rank > Math.min(base.in(), base.out())) {
            throw new IllegalArgumentException("LoRA rank " + rank + " of " + name + " is not in [1, min("
                    + base.in() + ", " + base.out() + ")]");
        }
        Parameter a = parameters.add(name + ".lora_a", Init.linearWeight(random, Block.Shape.STD, base.in(), rank));
        Parameter b = parameters.add(name + ".lora_b", Init.constant(0, base.out(), rank));
        return new LoraLinear(base, a, b);
    }

    @Override
    public Var apply(Tape tape, Var x) {
        Var y = base.apply(tape, x);
        Var low = Linear.apply(tape, Linear.apply(tape, x, a, null), b, null);
        return Elementwise.add(tape, y, low);
    }

    @Override
    public int in() {
        return base.in();
    }

    @Override
    public int out() {
        return base.out();
    }

    /** The map this one corrects. */
    public LinearMap base() {
        return base;
    }

    /** A (r, in). */
    public Parameter a() {
        return a;
    }

    /** B (out, r). */
    public Parameter b() {
        return b;
    }
}
