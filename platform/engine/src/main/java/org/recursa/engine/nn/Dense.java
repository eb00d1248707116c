package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Linear;

/**
 * A linear layer's parameters, {@code name.weight} (out, in) as in PyTorch's {@code nn.Linear} and {@code name.bias}
 * (out), and its use.
 */
public final class Dense implements LinearMap {

    private final Parameter weight;
    private final Parameter bias;

    private Dense(Parameter weight, Parameter bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** Weights from N(0, std^2), zero bias. */
    public static Dense create(ParameterSet parameters, String name, int in, int out, double std,
                               SplittableRandom random) {
        return new Dense(parameters.add(name + ".weight", Init.linearWeight(random, std, in, out)),
                parameters.add(name + ".bias", Init.constant(0, out)));
    }

    /** {@code x W^T + b} for x of shape (N, in). */
    @Override
    public Var apply(Tape tape, Var x) {
        return Linear.apply(tape, x, weight, bias);
    }

    @Override
    public int in() {
        return (int) weight.value().columns();
    }

    @Override
    public int out() {
        return (int) weight.value().rows();
    }

    /** The weight (out, in). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (out). */
    public Parameter bias() {
        return bias;
    }
}
