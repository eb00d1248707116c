package org.recursa.engine.nn;

import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Activations;
import org.recursa.engine.ops.Elementwise;

/**
 * An identity-biased recurrence step, {@code h + sigmoid(a) (y - h)}: a learnable scalar a blends a recursion's new
 * state y with the state h it started from; initialised well below 0, a new model starts close to the identity
 * through depth ("Thinking Deeper, Not Longer": a "gradient highway").
 *
 * @since 0.8.0
 */
public final class IdentityGate {

    private final Parameter gate;

    private IdentityGate(Parameter gate) {
        this.gate = gate;
    }

    /** A gate whose scalar {@code name} (rank 1, so no weight decay) starts at {@code bias}. */
    public static IdentityGate create(ParameterSet parameters, String name, double bias) {
        return new IdentityGate(parameters.add(name, Init.constant(bias, 1)));
    }

    /** {@code h + sigmoid(a) (y - h)}, h and y (N, C). */
    public Var apply(Tape tape, Var h, Var y) {
        Var share = Activations.sigmoid(tape, gate);
        return Elementwise.add(tape, h, Elementwise.scaleBy(tape, Elementwise.add(tape, y,
                Elementwise.scale(tape, h, -1)), share));
    }
}
