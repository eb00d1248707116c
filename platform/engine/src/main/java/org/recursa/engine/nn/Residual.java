package org.recursa.engine.nn;

import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Elementwise;

/** How a block adds a branch {@code f(x)} back to its input: {@code x + f(x)}, or with learnable weights. */
@ConsumerType
@FunctionalInterface
public interface Residual {

    /** The plain sum {@code x + f(x)}. */
    Residual PLAIN = (tape, x, branch) -> Elementwise.add(tape, x, branch);

    /**
     * The residual sum.
     *
     * @param x      the block's stream (N, C)
     * @param branch f(x) (N, C), dropout already applied
     */
    Var apply(Tape tape, Var x, Var branch);

    /**
     * {@code a x + b f(x)} with learnable scalars (SReT's {@code LearnableCoefficient}), initialised to 1, created
     * as {@code name.alpha.<first>} (a) and {@code name.alpha.<first + 1>} (b).
     */
    static Residual scaled(ParameterSet parameters, String name, int first) {
        Parameter outer = coefficient(parameters, name, first);
        Parameter inner = coefficient(parameters, name, first + 1);
        return (tape, x, branch) -> Elementwise.add(tape, Elementwise.scaleBy(tape, x, outer),
                Elementwise.scaleBy(tape, branch, inner));
    }

    /**
     * LayerScale (Touvron et al., 2021): {@code x + gamma * f(x)} with a learnable gain per channel, created as
     * {@code name} (C) and initialised to {@code init}; a small init (1e-4) starts the block near the identity, which
     * keeps a block looped many times stable.
     *
     * @since 0.7.0
     */
    static Residual layerScale(ParameterSet parameters, String name, int width, double init) {
        Parameter gains = parameters.add(name, Init.constant(init, width));
        return (tape, x, branch) -> Elementwise.add(tape, x, Elementwise.mulRow(tape, branch, gains));
    }

    /** A scalar {@code name.alpha.<index>} initialised to 1 (rank 1, so no weight decay). */
    private static Parameter coefficient(ParameterSet parameters, String name, int index) {
        return parameters.add(name + ".alpha." + index, Init.constant(1.0, 1));
    }
}
