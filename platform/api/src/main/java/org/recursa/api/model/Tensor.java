package org.recursa.api.model;

import java.util.Arrays;

/**
 * A dense tensor of float values in row-major order, with the number of bits each value takes in storage
 * (32 for plain floats; fewer once a compressor has quantized it).
 *
 * @param shape       the dimensions; their product equals {@code values.length}
 * @param values      the values, row-major
 * @param storageBits bits per value in storage, in [1, 32]
 */
public record Tensor(int[] shape, float[] values, int storageBits) {

    /** Checks that shape and values agree. Arrays are not copied: treat a tensor as read-only. */
    public Tensor {
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
        if (storageBits < 1 || storageBits > 32) {
            throw new IllegalArgumentException("storageBits must be in [1, 32], got " + storageBits);
        }
    }

    /** A float32 tensor. */
    public static Tensor of(int[] shape, float[] values) {
        return new Tensor(shape, values, 32);
    }

    /** Number of values. */
    public int size() {
        return values.length;
    }

    /** Bytes in storage, rounded up. */
    public long storageBytes() {
        return ((long) values.length * storageBits + 7) / 8;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && storageBits == that.storageBits
                && Arrays.equals(shape, that.shape) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(values)) + storageBits;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "@" + storageBits + "bit";
    }
}
