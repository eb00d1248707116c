package org.recursa.engine.kernel;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves whole rows between dense row-major float arrays in native memory, one bulk copy per row and no staging on
 * the Java heap. ND4J's {@code pullRows} spends several times as long on the same move (for attention inside groups
 * a move of the q/k/v cost more than the attention it fed).
 */
public final class RowMoves {

    private RowMoves() {
    }

    /** Whether {@link #move} applies: float32 arrays, dense and row-major. */
    public static boolean applies(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (!HeapFloats.applies(array) || array.rank() != 2 || !HeapFloats.denseRowMajor(array)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Row i of {@code out} (n, C) becomes row {@code sources[i]} of {@code x} (m, C), or zeros where
     * {@code sources[i]} is negative.
     */
    public static void move(INDArray x, int[] sources, INDArray out) {
        int cols = Math.toIntExact(x.columns());
        if (out.columns() != cols || out.rows() != sources.length) {
            throw new IllegalArgumentException("cannot move rows of " + java.util.Arrays.toString(x.shape())
                    + " into " + java.util.Arrays.toString(out.shape()) + " by " + sources.length + " sources");
        }
        FloatBuffer from = x.data().asNioFloat();
        FloatBuffer into = out.data().asNioFloat();
        int fromOffset = Math.toIntExact(x.offset());
        int intoOffset = Math.toIntExact(out.offset());
        float[] zeros = null;
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] >= 0) {
                into.put(intoOffset + i * cols, from, fromOffset + sources[i] * cols, cols);
            } else {
                if (zeros == null) {
                    zeros = new float[cols];
                }
                into.put(intoOffset + i * cols, zeros, 0, cols);
            }
        }
    }
}
