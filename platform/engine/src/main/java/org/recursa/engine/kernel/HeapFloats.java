package org.recursa.engine.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Moves float arrays between ND4J's native memory and reusable Java arrays. The kernels compute on Java arrays
 * because the JIT vectorises simple loops over them (it does not over native buffers); a bulk copy in and out
 * costs far less than the several native ops a kernel replaces.
 *
 * <p>Each thread has a few numbered slots that grow as needed and are reused by every kernel call, so the
 * kernels allocate nothing on the Java heap. A slot's content is only valid until the next kernel call.
 */
public final class HeapFloats {

    private static final int SLOTS = 6;
    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    private HeapFloats() {
    }

    /** Whether every array is float32, which is when the kernels apply (double precision runs the reference ops). */
    public static boolean applies(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && array.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return true;
    }

    /** Slot {@code slot} with room for at least {@code length} floats; its content is undefined. */
    public static float[] slot(int slot, long length) {
        float[][] arrays = ARRAYS.get();
        int size = Math.toIntExact(length);
        if (arrays[slot].length < size) {
            arrays[slot] = new float[size];
        }
        return arrays[slot];
    }

    /** Copies {@code array} (any layout) into slot {@code slot}, in row-major order. */
    public static float[] read(INDArray array, int slot) {
        INDArray dense = dense(array);
        float[] values = slot(slot, dense.length());
        dense.data().asNioFloat().get(Math.toIntExact(dense.offset()), values, 0, (int) dense.length());
        return values;
    }

    /** Copies the first {@code target.length()} values into {@code target}, which must be dense and row-major. */
    public static void write(float[] values, INDArray target) {
        if (dense(target) != target) {
            throw new IllegalArgumentException("kernel output must be a dense row-major array, got shape "
                    + java.util.Arrays.toString(target.shape()) + " order " + target.ordering());
        }
        target.data().asNioFloat().put(Math.toIntExact(target.offset()), values, 0, (int) target.length());
    }

    private static INDArray dense(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("kernels compute in FLOAT, got " + array.dataType());
        }
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) ? array : array.dup('c');
    }
}
