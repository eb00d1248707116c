package org.recursa.engine;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The floating-point type new weights and masks are created in: float32 for training, double for gradient
 * checks. Set it before building a model; changing it does not convert existing arrays.
 */
public final class Precision {

    private static volatile DataType current = DataType.FLOAT;

    private Precision() {
    }

    /** The type new arrays are created in. */
    public static DataType dataType() {
        return current;
    }

    /** Switches the type for models built from now on (tests use {@link DataType#DOUBLE}). */
    public static void use(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("the engine computes in FLOAT or DOUBLE, not " + type);
        }
        current = type;
    }
}
