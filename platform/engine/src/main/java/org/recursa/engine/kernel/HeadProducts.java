package org.recursa.engine.kernel;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The matrix products of multi-head attention, read from and written to the packed layouts directly: queries,
 * keys and values stay in the (B*T, 3C) projection output and the heads' outputs go straight into (B*T, C),
 * each head addressed as a (T, D) block with a row stride of 3C or C. This saves the four head-splitting
 * copies around attention; only the (B, H, T, T) scores are stored per head.
 *
 * @param batch     B
 * @param length    T
 * @param heads     H
 * @param headSize  D, so that C = H * D
 */
public record HeadProducts(int batch, int length, int heads, int headSize) {

    private int width() {
        return heads * headSize;
    }

    /** Offset of head h's block of part {@code part} (0 = q, 1 = k, 2 = v) of sequence b in the packed qkv. */
    private long packed(int b, int part, int h) {
        return (long) b * length * 3 * width() + (long) part * width() + (long) h * headSize;
    }

    /** Offset of head h's block of sequence b in a (B*T, C) array. */
    private long merged(int b, int h) {
        return (long) b * length * width() + (long) h * headSize;
    }

    /** Offset of the (T, T) scores of sequence b, head h. */
    private long square(int b, int h) {
        return ((long) b * heads + h) * length * length;
    }

    /** {@code scores[b, h] = scale * q k^T}. */
    public void scores(INDArray qkv, INDArray scores, float scale) {
        FloatPointer queries = Blas.pointer(qkv);
        FloatPointer keys = Blas.pointer(qkv);   // a second pointer: gemm moves each operand's position
        FloatPointer target = Blas.pointer(scores);
        forEachHead((b, h) -> Blas.gemm(false, true, length, length, headSize, scale, queries, packed(b, 0, h),
                3 * width(), keys, packed(b, 1, h), 3 * width(), 0, target, square(b, h), length));
    }

    /** {@code out[b, :, h] = p[b, h] v}: every head's output in its columns of the (B*T, C) result. */
    public void mix(INDArray p, INDArray qkv, INDArray out) {
        FloatPointer probabilities = Blas.pointer(p);
        FloatPointer source = Blas.pointer(qkv);
        FloatPointer target = Blas.pointer(out);
        forEachHead((b, h) -> Blas.gemm(false, false, length, headSize, length, 1, probabilities, square(b, h), length,
                source, packed(b, 2, h), 3 * width(), 0, target, merged(b, h), width()));
    }

    /** {@code dp[b, h] = dy v^T} with dy the gradient of the (B*T, C) output. */
    public void outputGradient(INDArray dy, INDArray qkv, INDArray dp) {
        FloatPointer gradient = Blas.pointer(dy);
        FloatPointer source = Blas.pointer(qkv);
        FloatPointer target = Blas.pointer(dp);
        forEachHead((b, h) -> Blas.gemm(false, true, length, length, headSize, 1, gradient, merged(b, h), width(),
                source, packed(b, 2, h), 3 * width(), 0, target, square(b, h), length));
    }

    /**
     * Writes the whole packed gradient: {@code dv = p^T dy}, {@code dq = ds k}, {@code dk = ds^T q}, where ds is
     * the gradient of the scaled scores (the scale already applied).
     */
    public void inputGradient(INDArray p, INDArray dy, INDArray ds, INDArray qkv, INDArray dqkv) {
        FloatPointer probabilities = Blas.pointer(p);
        FloatPointer gradient = Blas.pointer(dy);
        FloatPointer scores = Blas.pointer(ds);
        FloatPointer source = Blas.pointer(qkv);
        FloatPointer target = Blas.pointer(dqkv);
        int stride = 3 * width();
        forEachHead((b, h) -> {
            Blas.gemm(true, false, length, headSize, length, 1, probabilities, square(b, h), length, gradient,
                    merged(b, h), width(), 0, target, packed(b, 2, h), stride);
            Blas.gemm(false, false, length, headSize, length, 1, scores, square(b, h), length, source,
                    packed(b, 1, h), stride, 0, target, packed(b, 0, h), stride);
            Blas.gemm(true, false, length, headSize, length, 1, scores, square(b, h), length, source,
                    packed(b, 0, h), stride, 0, target, packed(b, 1, h), stride);
        });
    }

    private interface HeadAction {
        void apply(int b, int h);
    }

    private void forEachHead(HeadAction action) {
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                action.apply(b, h);
            }
        }
    }
}
