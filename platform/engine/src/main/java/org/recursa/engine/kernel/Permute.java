package org.recursa.engine.kernel;

/**
 * Transposes the axes of a row-major float array whose last axis stays last, copying one contiguous run of the
 * last axis at a time: the layout changes around attention (packed projections to heads and back), which
 * ND4J's general strided copy does element by element.
 */
public final class Permute {

    private Permute() {
    }

    /**
     * {@code dst = src.permute(order)} in row-major order.
     *
     * @param shape the shape of {@code src}
     * @param order the source axis of each destination axis; the last axis must map to itself
     */
    public static void copy(float[] src, long[] shape, int[] order, float[] dst) {
        int rank = shape.length;
        if (order.length != rank || order[rank - 1] != rank - 1) {
            throw new IllegalArgumentException("the last axis must stay last, got order "
                    + java.util.Arrays.toString(order));
        }
        int run = Math.toIntExact(shape[rank - 1]);
        long[] sourceStrides = new long[rank];
        sourceStrides[rank - 1] = 1;
        for (int axis = rank - 2; axis >= 0; axis--) {
            sourceStrides[axis] = sourceStrides[axis + 1] * shape[axis + 1];
        }
        int outer = rank - 1;
        long[] extent = new long[outer];
        long[] stride = new long[outer];
        long runs = 1;
        for (int axis = 0; axis < outer; axis++) {
            extent[axis] = shape[order[axis]];
            stride[axis] = sourceStrides[order[axis]];
            runs *= extent[axis];
        }
        long[] index = new long[outer];
        long source = 0;
        for (long r = 0; r < runs; r++) {
            System.arraycopy(src, (int) source, dst, (int) (r * run), run);
            // Odometer over the destination's outer axes, moving the source offset along.
            for (int axis = outer - 1; axis >= 0; axis--) {
                source += stride[axis];
                if (++index[axis] < extent[axis]) {
                    break;
                }
                source -= stride[axis] * extent[axis];
                index[axis] = 0;
            }
        }
    }
}
