package org.recursa.api.model;

import java.util.Arrays;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How a tensor's values are kept on disk. The values a model computes with are always floats (an int8 tensor holds
 * its dequantised values); the storage says how many bytes the checkpoint spends on them and how it encodes them
 * (docs/checkpoints.md). A tensor's values must be exactly representable in its storage, so that writing and
 * reading a checkpoint gives back the same floats, bit for bit.
 *
 * @since 0.4.0
 */
@ProviderType
public sealed interface Storage permits Storage.Float32, Storage.Int8, Storage.Sparse {

    /** Plain float32 values: 4 bytes each. */
    Float32 FLOAT32 = new Float32();

    /** Values that are mostly zero: a bitmap of the non-zero positions and their float32 values. */
    Sparse SPARSE = new Sparse();

    /**
     * Bytes this storage spends on {@code values} of {@code shape}.
     *
     * @param shape  the tensor's dimensions
     * @param values its values
     * @return the size of the encoded values in a checkpoint
     */
    long bytes(int[] shape, float[] values);

    /**
     * Why {@code values} cannot be stored this way, or null when they can.
     *
     * @param shape  the tensor's dimensions
     * @param values its values
     */
    String unrepresentable(int[] shape, float[] values);

    /** The name a checkpoint header records: {@code float32}, {@code int8} or {@code sparse}. */
    String id();

    /** Float32: every value in 4 bytes. */
    record Float32() implements Storage {
        @Override
        public long bytes(int[] shape, float[] values) {
            return 4L * values.length;
        }

        @Override
        public String unrepresentable(int[] shape, float[] values) {
            return null;
        }

        @Override
        public String id() {
            return "float32";
        }
    }

    /**
     * Symmetric per-channel int8: channel c (index along the first dimension; a vector is one channel) holds
     * {@code q * scales[c]} for integers {@code |q| <= 127}, computed in float as {@code (float) q * scales[c]}. Stored
     * as one signed byte per value and one float32 scale per channel.
     *
     * @param scales one positive finite scale per channel
     */
    record Int8(float[] scales) implements Storage {

        /** Copies nothing: treat the scales as read-only. Checks that every scale is positive and finite. */
        public Int8 {
            for (float scale : scales) {
                if (!(scale > 0) || Float.isInfinite(scale)) {
                    throw new IllegalArgumentException("int8 scales must be positive and finite, got " + scale);
                }
            }
        }

        /** Channels of a tensor of {@code shape}: its first dimension, or 1 for a scalar or vector. */
        public static int channels(int[] shape) {
            return shape.length < 2 ? 1 : shape[0];
        }

        @Override
        public long bytes(int[] shape, float[] values) {
            return values.length + 4L * scales.length;
        }

        @Override
        public String unrepresentable(int[] shape, float[] values) {
            int channels = channels(shape);
            if (scales.length != channels) {
                return "int8 storage needs " + channels + " scales (one per channel), got " + scales.length;
            }
            int perChannel = channels == 0 ? 0 : values.length / channels;
            for (int i = 0; i < values.length; i++) {
                float scale = scales[i / Math.max(1, perChannel)];
                long q = Math.round(values[i] / scale);
                if (Math.abs(q) > 127 || (float) q * scale != values[i]) {
                    return "value " + values[i] + " at " + i + " is not q x " + scale + " for an integer |q| <= 127";
                }
            }
            return null;
        }

        @Override
        public String id() {
            return "int8";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Int8 that && Arrays.equals(scales, that.scales);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(scales);
        }

        @Override
        public String toString() {
            return "Int8[" + scales.length + " scales]";
        }
    }

    /** Sparse: one bit per value saying whether it is other than +0.0, then those values as float32. */
    record Sparse() implements Storage {
        @Override
        public long bytes(int[] shape, float[] values) {
            long nonZero = 0;
            for (float value : values) {
                if (Float.floatToRawIntBits(value) != 0) {   // -0.0 is kept: only +0.0 is left out
                    nonZero++;
                }
            }
            return (values.length + 7L) / 8 + 4 * nonZero;
        }

        @Override
        public String unrepresentable(int[] shape, float[] values) {
            return null;
        }

        @Override
        public String id() {
            return "sparse";
        }
    }
}
