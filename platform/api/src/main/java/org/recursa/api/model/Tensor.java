package org.recursa.api.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor of float values in row-major order, and how a checkpoint stores them ({@link Storage}: float32
 * unless a compressor quantised or sparsified it; the values are then the dequantised ones the model computes with).
 *
 * @param shape   the dimensions; their product equals {@code values.length}
 * @param values  the values, row-major
 * @param storage how the values are stored (since 0.4.0; before, a number of bits per value)
 */
public record Tensor(int[] shape, float[] values, Storage storage) {

    /**
     * Checks that shape and values agree and that the values fit the storage. Arrays are not copied: treat a tensor
     * as read-only.
     */
    public Tensor {
        Objects.requireNonNull(storage, "storage");
        long size = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= dim;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " values, got " + values.length);
        }
        String problem = storage.unrepresentable(shape, values);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A float32 tensor. */
    public static Tensor of(int[] shape, float[] values) {
        return new Tensor(shape, values, Storage.FLOAT32);
    }

    /**
     * The same values in another storage.
     *
     * @throws IllegalArgumentException when the values cannot be stored that way
     * @since 0.4.0
     */
    public Tensor withStorage(Storage other) {
        return new Tensor(shape, values, other);
    }

    /** Number of values. */
    public int size() {
        return values.length;
    }

    /** Bytes the values take in a checkpoint ({@link Storage#bytes}). */
    public long storageBytes() {
        return storage.bytes(shape, values);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && storage.equals(that.storage)
                && Arrays.equals(shape, that.shape) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(values)) + storage.hashCode();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "@" + storage.id();
    }
}
