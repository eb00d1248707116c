package org.recursa.engine.nn;

import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Norms;

/** Layer normalisation with gain {@code name.weight} (ones) and shift {@code name.bias} (zeros). */
public final class LayerNorm {

    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-5;

    private final Parameter gain;
    private final Parameter shift;

    private LayerNorm(Parameter gain, Parameter shift) {
        this.gain = gain;
        this.shift = shift;
    }

    /** Creates the parameters for rows of {@code width}. */
    public static LayerNorm create(ParameterSet parameters, String name, int width) {
        return new LayerNorm(parameters.add(name + ".weight", Init.constant(1, width)),
                parameters.add(name + ".bias", Init.constant(0, width)));
    }

    /** Normalises each row of x (N, C). */
    public Var apply(Tape tape, Var x) {
        return Norms.layerNorm(tape, x, gain, shift, EPS);
    }

    /** The residual sum {@code a + b} (N, C) and its norm, in one pass where the kernels apply ({@link AddNorm}). */
    AddNorm.Result applyToSum(Tape tape, Var a, Var b) {
        return AddNorm.apply(tape, a, b, gain, shift, EPS);
    }
}
