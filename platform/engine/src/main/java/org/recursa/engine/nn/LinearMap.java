package org.recursa.engine.nn;

import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/**
 * An affine map {@code x (N, in) -> (N, out)} inside a block. Its weights may be its own ({@link Dense}), a matrix
 * owned elsewhere and shared across depths ({@link SharedLinear}), or either plus a low-rank correction
 * ({@link LoraLinear}); the block does not care which.
 */
@ConsumerType
public interface LinearMap {

    /** x (N, in) to (N, out). */
    Var apply(Tape tape, Var x);

    /** Input width. */
    int in();

    /** Output width. */
    int out();
}
