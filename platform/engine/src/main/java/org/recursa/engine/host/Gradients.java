package org.recursa.engine.host;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.Var;

/**
 * The engine's own gradient-buffer ownership, for its ops: adopting a fresh array as a variable's first gradient
 * instead of copying it, and declaring a gradient dead so that its buffer can serve the next op
 * ({@link GradientPool}). Getting either wrong corrupts gradients silently, so they are not part of {@link Var}'s
 * public contract: a plugin's op adds with {@link Var#accumulate} and is correct without them, only slower by a copy.
 */
public final class Gradients {

    /** What {@link Var} lets this class do; installed once by {@link Var} itself. */
    public interface Access {

        /** Takes {@code delta}, a fresh array nobody else holds, as (or adds it into) the gradient of {@code var}. */
        void adopt(Var var, INDArray delta);

        /** Declares the gradient of {@code var} dead. */
        void release(Var var);
    }

    private static volatile Access access;

    private Gradients() {
    }

    /**
     * Called once, by {@link Var}'s class initialiser.
     *
     * @throws IllegalStateException on a second call
     */
    public static synchronized void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("gradient access is installed already");
        }
        access = implementation;
    }

    /**
     * Like {@link Var#accumulate}, but takes ownership of {@code delta} (a fresh array nobody else holds), so that
     * the first gradient of a variable costs no copy; when it is added instead, its buffer may be recycled.
     */
    public static void adopt(Var var, INDArray delta) {
        access.adopt(var, delta);
    }

    /**
     * Declares the gradient of {@code var} dead: the op that produced {@code var} has finished its backward pass,
     * so nothing reads the gradient again and its buffer can serve the next op. Reading {@link Var#grad()}
     * afterwards gives zeros.
     */
    public static void release(Var var) {
        access.release(var);
    }
}
