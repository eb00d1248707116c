package org.recursa.engine.kernel;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves float arrays between ND4J's native memory and reusable Java arrays. The kernels compute on Java arrays
 * because the JIT vectorises simple loops over them (it does not over native buffers); a bulk copy in and out
 * costs far less than the several native ops a kernel replaces.
 *
 * <p>Each thread has a few numbered slots that grow as needed and are reused by every kernel call, so the
 * kernels allocate nothing on the Java heap. A slot's content is only valid until the next kernel call.
 */
public final class HeapFloats {

    /**
     * Floats per run when a kernel streams native arrays ({@link Region}): a kernel's few runs in flight stay in
     * the core's L1/L2 cache and the per-thread staging arrays stay small, instead of growing to the largest
     * activation.
     */
    public static final int CHUNK = 4096;

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

    /** Whole rows of {@code cols} values per {@link #CHUNK}-sized run (at least one). */
    public static int rowsPerChunk(int cols) {
        return Math.max(1, CHUNK / cols);
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
        Region region = output(target);
        region.put(0, values, region.length());
    }

    /**
     * Writes {@code row} (cols) into every row of the dense (rows, cols) {@code target}: one write pass, from a
     * chunk of repeated rows built once.
     */
    public static void fillRows(INDArray target, INDArray row) {
        Region into = output(target);
        int cols = Math.toIntExact(row.length());
        if (target.rank() != 2 || target.columns() != cols) {
            throw new IllegalArgumentException("cannot fill rows of " + java.util.Arrays.toString(target.shape())
                    + " with a row of " + cols);
        }
        int chunkRows = rowsPerChunk(cols);
        float[] repeated = slot(0, (long) chunkRows * cols);
        float[] values = read(row, 1);
        for (int r = 0; r < chunkRows; r++) {
            System.arraycopy(values, 0, repeated, r * cols, cols);
        }
        int rows = Math.toIntExact(target.rows());
        for (int first = 0; first < rows; first += chunkRows) {
            into.put(first * cols, repeated, Math.min(chunkRows, rows - first) * cols);
        }
    }

    /**
     * The native memory of {@code array} for streaming in runs; an array that is not dense and row-major is
     * copied into one first, so use this for inputs. Outputs use {@link #output}.
     */
    public static Region input(INDArray array) {
        return new Region(dense(array));
    }

    /** The native memory of {@code target}, which must be dense and row-major, for a kernel to write. */
    public static Region output(INDArray target) {
        if (dense(target) != target) {
            throw new IllegalArgumentException("kernel output must be a dense row-major array, got shape "
                    + java.util.Arrays.toString(target.shape()) + " order " + target.ordering());
        }
        return new Region(target);
    }

    /** A dense row-major float array's values in native memory, read and written in runs by index. */
    public static final class Region {

        private final FloatBuffer buffer;
        private final int offset;
        private final int length;

        private Region(INDArray dense) {
            this.buffer = dense.data().asNioFloat();
            this.offset = Math.toIntExact(dense.offset());
            this.length = Math.toIntExact(dense.length());
        }

        /** Number of values. */
        public int length() {
            return length;
        }

        /** Copies values {@code from .. from + n} into {@code into[0 .. n)}. */
        public void get(int from, float[] into, int n) {
            buffer.get(offset + from, into, 0, n);
        }

        /** Copies {@code values[0 .. n)} over values {@code from .. from + n}. */
        public void put(int from, float[] values, int n) {
            buffer.put(offset + from, values, 0, n);
        }
    }

    private static INDArray dense(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("kernels compute in FLOAT, got " + array.dataType());
        }
        return denseRowMajor(array) ? array : array.dup('c');
    }

    /**
     * Whether the array's values are contiguous in row-major order. Strides of dimensions of size 1 are ignored:
     * ND4J gives them values of its own (a fresh (3, 2, 1, 1) array is not "default-strided" to it), yet they are
     * never stepped along.
     */
    public static boolean denseRowMajor(INDArray array) {
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
