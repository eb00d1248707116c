package org.recursa.engine.nn;

import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Linear;

/**
 * {@code x W^T + b} with a weight W (out, in) owned elsewhere, typically shared by the same map at several depths,
 * and a bias {@code name.bias} (out) of its own. W's gradient sums the contributions of every depth that uses it.
 */
public final class SharedLinear implements LinearMap {

    private final Parameter weight;
    private final Parameter bias;

    private SharedLinear(Parameter weight, Parameter bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** Uses {@code weight} (out, in) and creates a zero bias {@code name.bias}. */
    public static SharedLinear create(ParameterSet parameters, String name, Parameter weight) {
        if (weight.value().rank() != 2) {
            throw new IllegalArgumentException("shared weight " + weight + " is not a matrix (out, in)");
        }
        return new SharedLinear(weight, parameters.add(name + ".bias", Init.constant(0, weight.value().rows())));
    }

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

    /** The shared weight (out, in). */
    public Parameter weight() {
        return weight;
    }

    /** This map's own bias (out). */
    public Parameter bias() {
        return bias;
    }
}
