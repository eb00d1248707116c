package org.recursa.plugins.compressors;

import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;

/**
 * Symmetric per-channel int8 quantisation of one tensor: channel c (a row of a linear weight, embedding or head) gets
 * {@code scale_c = max_j |w_cj| / 127}, each value {@code q = round(w / scale_c)} with {@code |q| <= 127}, and the
 * model computes with {@code (float) q * scale_c}, which {@link Storage.Int8} stores in one byte plus the scale.
 */
final class ChannelQuantizer {

    /** The largest code: symmetric, so -128 is never used and zero is exact. */
    static final int LEVELS = 127;

    /**
     * A quantised tensor and how far its values moved.
     *
     * @param tensor   the dequantised values, stored int8
     * @param maxError the largest |dequantised - original|
     * @param errorSum the sum of |dequantised - original| over the values
     */
    record Quantized(Tensor tensor, double maxError, double errorSum) {
    }

    private ChannelQuantizer() {
    }

    /** Quantises {@code tensor} per channel along its first dimension. */
    static Quantized quantize(Tensor tensor) {
        int channels = Storage.Int8.channels(tensor.shape());
        int perChannel = channels == 0 ? 0 : tensor.size() / channels;
        float[] original = tensor.values();
        float[] values = new float[original.length];
        float[] scales = new float[channels];
        double maxError = 0;
        double errorSum = 0;
        for (int c = 0; c < channels; c++) {
            int from = c * perChannel;
            float scale = scale(original, from, from + perChannel);
            scales[c] = scale;
            for (int i = from; i < from + perChannel; i++) {
                int q = Math.max(-LEVELS, Math.min(LEVELS, Math.round(original[i] / scale)));
                values[i] = (float) q * scale;
                double error = Math.abs((double) values[i] - original[i]);
                maxError = Math.max(maxError, error);
                errorSum += error;
            }
        }
        return new Quantized(new Tensor(tensor.shape(), values, new Storage.Int8(scales)), maxError, errorSum);
    }

    /**
     * {@code max |w| / 127} over one channel; 1 for a channel of zeros (any positive scale codes them exactly) or one
     * so small that its scale would be subnormal, whose values then all round to zero.
     */
    static float scale(float[] values, int from, int to) {
        float max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        float scale = max / LEVELS;
        return scale >= Float.MIN_NORMAL && Float.isFinite(scale) ? scale : 1f;
    }
}
