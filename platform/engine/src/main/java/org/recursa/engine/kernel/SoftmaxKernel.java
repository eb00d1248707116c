package org.recursa.engine.kernel;

import java.util.Arrays;

/**
 * Row-wise softmax of attention scores under an additive mask, and its backward pass fused with the score scale.
 * Rows are staged in small buffers so that the JIT vectorises the loops (see {@link LayerNormKernel}).
 */
public final class SoftmaxKernel {

    // Below this, exp(x) < 1.4e-7 of the row's largest term and counts as zero; it is also where the tanh below
    // reaches its clamp, so masked scores (about -1e9) come out exactly 0 as they do from a true exp.
    private static final float CUTOFF = 15.8f;

    private SoftmaxKernel() {
    }

    /**
     * {@code p = softmax(s + mask)} over the last axis of the (B, H, T, T) scores, in place.
     *
     * <p>Works on one (T, T) block of a head at a time, staged at offset 0 with each row's maximum and then its
     * reciprocal sum spread over the row's entries: then every element-wise step is one flat loop over T*T
     * values, which the JIT vectorises; per-row loops of T = 32 mostly ran in its scalar pre- and post-loops.
     *
     * @param mask (B, T, T), shared by the heads, or null
     */
    public static void forward(HeapFloats.Region scores, HeapFloats.Region mask, int batch, int heads, int length) {
        int block = length * length;
        float[] values = new float[block];
        float[] maskBlock = new float[block];
        float[] perRow = new float[block];
        for (int b = 0; b < batch; b++) {
            if (mask != null) {
                mask.get(b * block, maskBlock, block);
            }
            for (int h = 0; h < heads; h++) {
                int o = (b * heads + h) * block;
                scores.get(o, values, block);
                if (mask != null) {
                    for (int j = 0; j < block; j++) {
                        values[j] += maskBlock[j];
                    }
                }
                normalise(values, perRow, length);
                scores.put(o, values, block);
            }
        }
    }

    /** Softmax of each row of the staged (T, T) block; {@code perRow} is scratch of the same size. */
    private static void normalise(float[] values, float[] perRow, int length) {
        int block = length * length;
        for (int i = 0; i < length; i++) {
            Arrays.fill(perRow, i * length, (i + 1) * length, Reductions.max(values, i * length, length));
        }
        for (int j = 0; j < block; j++) {
            values[j] = expNonPositive(values[j] - perRow[j]);
        }
        for (int i = 0; i < length; i++) {
            Arrays.fill(perRow, i * length, (i + 1) * length, 1 / Reductions.sum(values, i * length, length));
        }
        for (int j = 0; j < block; j++) {
            values[j] *= perRow[j];
        }
    }

    /**
     * {@code exp(x)} for {@code x <= 0} as {@code (1 + tanh(x/2)) / (1 - tanh(x/2))}, with only arithmetic the JIT
     * vectorises (JDK 17 does not vectorise {@link Math#exp} or the float-to-bits steps of the usual range
     * reduction); absolute error below 1e-6, and 0 below {@code -CUTOFF}.
     */
    static float expNonPositive(float x) {
        float t = Tanh.of(0.5f * x);
        float keep = Math.min(1f, Math.max(0f, (x + CUTOFF) * 1e30f));
        return keep * (1 + t) / (1 - t);
    }

    /**
     * {@code ds = scale * p * (dp - sum_j dp_j p_j)} per row, streamed a few rows at a time.
     *
     * @param p  softmax output (rows, cols)
     * @param dp gradient of the output (rows, cols); replaced by the gradient of the scaled input
     */
    public static void backward(HeapFloats.Region p, HeapFloats.Region dp, int rows, int cols, float scale) {
        int chunkRows = HeapFloats.rowsPerChunk(cols);
        float[] ps = HeapFloats.slot(0, (long) chunkRows * cols);
        float[] dps = HeapFloats.slot(1, (long) chunkRows * cols);
        for (int first = 0; first < rows; first += chunkRows) {
            int n = Math.min(chunkRows, rows - first);
            p.get(first * cols, ps, n * cols);
            dp.get(first * cols, dps, n * cols);
            backward(ps, dps, n, cols, scale);
            dp.put(first * cols, dps, n * cols);
        }
    }

    private static void backward(float[] p, float[] dp, int rows, int cols, float scale) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += dp[o + c] * p[o + c];
            }
            for (int c = 0; c < cols; c++) {
                dp[o + c] = scale * p[o + c] * (dp[o + c] - dot);
            }
        }
    }
}
