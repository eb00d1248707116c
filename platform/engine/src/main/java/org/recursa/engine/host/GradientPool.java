package org.recursa.engine.host;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recycles the gradient buffers of a backward pass. An intermediate's gradient is dead once the op that produced
 * the intermediate has run its backward pass; handing that buffer to the next op that needs one of the same
 * shape means the backward pass writes into memory that is still in the CPU's cache, where a fresh allocation
 * (every array of a {@link Scratch} is one) first has to be fetched from main memory. Measured at d = 256 this
 * was worth several percent of a training step.
 *
 * <p>An array is recycled only when the op that last reads it says so ({@link Gradients#release}, or
 * {@link Gradients#adopt} adding rather than adopting), and only if it lives outside any {@link Scratch}
 * (a scratch array is void once its pass ends) and is a whole dense array. Pooled arrays are per thread; at most
 * {@link #MAX_FREE_BYTES} wait for reuse, beyond that released arrays are left to the garbage collector.
 */
public final class GradientPool {

    static final long MAX_FREE_BYTES = 256L << 20;

    private static final ThreadLocal<GradientPool> POOLS = ThreadLocal.withInitial(GradientPool::new);

    private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
    private long freeBytes;

    private GradientPool() {
    }

    /** An uninitialised dense row-major array of this type and shape, recycled when one is free. */
    public static INDArray take(DataType type, long... shape) {
        return POOLS.get().get(new Key(type, shape.clone()));
    }

    /** An uninitialised array shaped like {@code like}. */
    public static INDArray takeLike(INDArray like) {
        return take(like.dataType(), like.shape());
    }

    /**
     * Offers {@code array} for reuse; the caller must hold the only reference that will still be read. Arrays in a
     * scratch, views and arrays not in row-major order are ignored.
     *
     * @return whether the array was taken back
     */
    public static boolean release(INDArray array) {
        return array != null && POOLS.get().put(array);
    }

    private INDArray get(Key key) {
        ArrayDeque<INDArray> arrays = free.get(key);
        INDArray array = arrays == null ? null : arrays.pollLast();
        if (array != null) {
            freeBytes -= bytes(array);
            return array;
        }
        return Scratch.outside(() -> Nd4j.createUninitialized(key.type(), key.shape(), 'c'));
    }

    private boolean put(INDArray array) {
        if (array.isAttached() || array.isView() || array.ordering() != 'c' || array.isEmpty()
                || freeBytes + bytes(array) > MAX_FREE_BYTES) {
            return false;
        }
        free.computeIfAbsent(new Key(array.dataType(), array.shape()), k -> new ArrayDeque<>()).addLast(array);
        freeBytes += bytes(array);
        return true;
    }

    private static long bytes(INDArray array) {
        return array.length() * array.dataType().width();
    }

    private record Key(DataType type, long[] shape) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.type == type && java.util.Arrays.equals(key.shape, shape);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + java.util.Arrays.hashCode(shape);
        }
    }
}
