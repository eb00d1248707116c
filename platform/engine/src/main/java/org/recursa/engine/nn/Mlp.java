package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Activations;

/** The position-wise feed-forward transition: {@code down(gelu(up(x)))}, e.g. {@code W2 gelu(W1 x + b1) + b2}. */
public final class Mlp {

    private final LinearMap up;
    private final LinearMap down;

    private Mlp(LinearMap up, LinearMap down) {
        this.up = up;
        this.down = down;
    }

    /** Dense {@code width -> hidden -> width}, parameters {@code name.up} and {@code name.down}. */
    public static Mlp create(ParameterSet parameters, String name, int width, int hidden, double std,
                             double projectionStd, SplittableRandom random) {
        return of(Dense.create(parameters, name + ".up", width, hidden, std, random),
                Dense.create(parameters, name + ".down", hidden, width, projectionStd, random));
    }

    /**
     * An MLP over maps made elsewhere.
     *
     * @since 0.4.0
     */
    public static Mlp of(LinearMap up, LinearMap down) {
        if (up.out() != down.in() || up.in() != down.out()) {
            throw new IllegalArgumentException("layers " + up.in() + " -> " + up.out() + " and " + down.in() + " -> "
                    + down.out() + " do not make an MLP");
        }
        return new Mlp(up, down);
    }

    /** x (N, C) to (N, C). */
    public Var apply(Context context, Var x) {
        return down.apply(context.tape(), Activations.gelu(context.tape(), up.apply(context.tape(), x)));
    }
}
