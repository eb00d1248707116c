package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Activations;

/** The position-wise feed-forward transition: {@code W2 gelu(W1 x + b1) + b2}. */
public final class Mlp {

    private final Dense up;
    private final Dense down;

    private Mlp(Dense up, Dense down) {
        this.up = up;
        this.down = down;
    }

    /** {@code width -> hidden -> width}. */
    public static Mlp create(ParameterSet parameters, String name, int width, int hidden, double std,
                             double projectionStd, SplittableRandom random) {
        return new Mlp(Dense.create(parameters, name + ".up", width, hidden, std, random),
                Dense.create(parameters, name + ".down", hidden, width, projectionStd, random));
    }

    /** x (N, C) to (N, C). */
    public Var apply(Context context, Var x) {
        return down.apply(context.tape(), Activations.gelu(context.tape(), up.apply(context.tape(), x)));
    }
}
