package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.HeadProducts;
import org.recursa.engine.kernel.HeapFloats;
import org.recursa.engine.kernel.SoftmaxKernel;

/**
 * Multi-head scaled dot-product attention over packed projections: {@code softmax(q k^T / sqrt(d) + mask) v}
 * per head. Projections in and out are separate {@link Linear} ops; this op is the part between them.
 */
public final class Attention {

    /** Added to masked scores: large enough that exp() underflows to zero, finite so that no NaN appears. */
    public static final double MASKED = -1e9;

    private Attention() {
    }

    /**
     * @param qkv      (B*T, 3C): queries, keys and values side by side, each split into {@code heads} heads
     * @param batch    B
     * @param length   T
     * @param heads    H; C must be divisible by H
     * @param causal   whether position i may attend to positions after i
     * @param keepKeys (B, T) with 1 for real tokens and 0 for padding (keys that nobody may attend to), or null
     * @return (B*T, C): the heads' outputs side by side
     */
    public static Var apply(Tape tape, Var qkv, int batch, int length, int heads, boolean causal, INDArray keepKeys) {
        return apply(tape, qkv, batch, length, heads, mask(qkv.value(), batch, length, causal, keepKeys));
    }

    /**
     * Attention under an arbitrary additive mask, for variants that restrict who attends to whom (sliced group
     * attention, routed subsets of tokens).
     *
     * @param mask (B, T, T) added to every head's scores: 0 where query i may attend to key j, {@link #MASKED}
     *             where it may not; null for full attention. Every row must keep at least one key.
     */
    public static Var apply(Tape tape, Var qkv, int batch, int length, int heads, INDArray mask) {
        long width = qkv.value().columns() / 3;
        long headSize = width / heads;
        if (width * 3 != qkv.value().columns() || headSize * heads != width || qkv.value().rows() != (long) batch * length) {
            throw new IllegalArgumentException("qkv of shape " + java.util.Arrays.toString(qkv.shape())
                    + " does not fit batch " + batch + ", length " + length + ", heads " + heads);
        }
        double scale = 1 / Math.sqrt(headSize);
        return Blas.applies(qkv.value()) && (mask == null || Blas.applies(mask))
                ? applyKernel(tape, qkv, new HeadProducts(batch, length, heads, (int) headSize), mask, scale)
                : applyReference(tape, qkv, batch, length, heads, mask, scale);
    }

    /** Float32: per-head products straight on the packed layouts ({@link HeadProducts}), no head-split copies. */
    private static Var applyKernel(Tape tape, Var qkv, HeadProducts heads, INDArray mask, double scale) {
        INDArray packed = qkv.value();
        INDArray scores = Nd4j.createUninitialized(packed.dataType(),
                new long[] {heads.batch(), heads.heads(), heads.length(), heads.length()}, 'c');
        heads.scores(packed, scores, (float) scale);
        SoftmaxKernel.forward(HeapFloats.output(scores), mask == null ? null : HeapFloats.input(mask), heads.batch(),
                heads.heads(), heads.length());
        INDArray p = scores;
        INDArray out = Nd4j.createUninitialized(packed.dataType(),
                new long[] {(long) heads.batch() * heads.length(), (long) heads.heads() * heads.headSize()}, 'c');
        heads.mix(p, packed, out);
        Var result = new Var(out, tape.needsGrad(qkv));
        tape.record(() -> {
            INDArray dy = result.grad();
            if (!Blas.applies(dy)) {
                dy = dy.dup('c');
            }
            INDArray dp = GradientPool.takeLike(p);
            heads.outputGradient(dy, packed, dp);
            INDArray ds = softmaxBackward(p, dp, scale);
            INDArray dqkv = GradientPool.takeLike(packed);
            heads.inputGradient(p, dy, ds, packed, dqkv);
            GradientPool.release(dp);
            Gradients.release(result);
            Gradients.adopt(qkv, dqkv);
        }, qkv);
        return result;
    }

    /** Any precision, as ND4J ops on head-split copies; the finite-difference tests check this one in double. */
    private static Var applyReference(Tape tape, Var qkv, int batch, int length, int heads, INDArray mask,
                                      double scale) {
        long width = qkv.value().columns() / 3;
        long headSize = width / heads;
        // (B, T, 3, H, D) -> (3, B, H, T, D): one contiguous copy, then q, k, v are views of it.
        INDArray split = qkv.value().reshape('c', batch, length, 3, heads, headSize).permute(2, 0, 3, 1, 4).dup('c');
        INDArray q = split.slice(0);
        INDArray k = split.slice(1);
        INDArray v = split.slice(2);
        INDArray p = softmax(Nd4j.matmul(q, k, false, true, false).muli(scale), mask);   // (B, H, T, T)
        INDArray y = Nd4j.matmul(p, v);                                                   // (B, H, T, D)
        INDArray out = y.permute(0, 2, 1, 3).dup('c').reshape('c', (long) batch * length, width);
        Var result = new Var(out, tape.needsGrad(qkv));
        tape.record(() -> {
            INDArray dy = result.grad().reshape('c', batch, length, heads, headSize).permute(0, 2, 1, 3).dup('c');
            INDArray dSplit = split.ulike();                                             // (3, B, H, T, D)
            INDArray dp = Nd4j.matmul(dy, v, false, true, false);                        // (B, H, T, T)
            Nd4j.matmul(p, dy, dSplit.slice(2), true, false, false);                     // dv = p^T dy
            INDArray ds = softmaxBackward(p, dp, scale);
            Nd4j.matmul(ds, k, dSplit.slice(0), false, false, false);                    // dq = ds k
            Nd4j.matmul(ds, q, dSplit.slice(1), true, false, false);                     // dk = ds^T q
            Gradients.adopt(qkv, dSplit.permute(1, 3, 0, 2, 4).dup('c').reshape('c', (long) batch * length, 3 * width));
        }, qkv);
        return result;
    }

    /**
     * The attention probabilities {@link #apply} computes, {@code softmax(q k^T / sqrt(d) + mask)} per head, for
     * recording and inspection; computed again on a copy (the forward pass keeps its own only inside its kernel),
     * with no tape.
     *
     * @param qkv  (B*T, 3C) packed queries, keys and values, as passed to {@link #apply}
     * @param mask (B, T, T) additive mask as passed to {@link #apply}, or null
     * @return (B, H, T, T): query by key, each row summing to one
     * @since 0.4.0
     */
    public static INDArray probabilities(INDArray qkv, int batch, int length, int heads, INDArray mask) {
        long width = qkv.columns() / 3;
        long headSize = width / heads;
        INDArray split = qkv.reshape('c', batch, length, 3, heads, headSize).permute(2, 0, 3, 1, 4).dup('c');
        INDArray scores = Nd4j.matmul(split.slice(0), split.slice(1), false, true, false).muli(1 / Math.sqrt(headSize));
        return softmax(scores, mask == null ? null : mask.castTo(scores.dataType()));
    }

    /** Softmax over the last axis of the (B, H, T, T) scores after adding the (B, T, T) mask, in place. */
    private static INDArray softmax(INDArray scores, INDArray mask) {
        if (mask != null) {
            Nd4j.exec(new BroadcastAddOp(scores, mask, scores, 0, 2, 3));
        }
        return Nd4j.exec(new SoftMax(scores, scores, 3))[0];
    }

    /** {@code ds = scale * p * (dp - sum(dp * p, last))}, written over dp. */
    private static INDArray softmaxBackward(INDArray p, INDArray dp, double scale) {
        if (HeapFloats.applies(p, dp)) {
            int cols = Math.toIntExact(p.size(p.rank() - 1));
            int rows = Math.toIntExact(p.length() / cols);
            SoftmaxKernel.backward(HeapFloats.input(p), HeapFloats.output(dp), rows, cols, (float) scale);
            return dp;
        }
        INDArray rowDot = dp.mul(p).sum(3);                                              // (B, H, T)
        Nd4j.exec(new BroadcastSubOp(dp, rowDot, dp, 0, 1, 2));
        return dp.muli(p).muli(scale);
    }

    /**
     * The (B, T, T) additive mask combining causality and key padding, or null when nothing is masked.
     *
     * @param like an array of the data type the mask should have
     */
    public static INDArray mask(INDArray like, int batch, int length, boolean causal, INDArray keepKeys) {
        if (!causal && keepKeys == null) {
            return null;
        }
        INDArray mask = Nd4j.zeros(like.dataType(), batch, length, length);
        if (causal) {
            float[] upper = new float[length * length];
            for (int i = 0; i < length; i++) {
                for (int j = i + 1; j < length; j++) {
                    upper[i * length + j] = (float) MASKED;
                }
            }
            INDArray future = Nd4j.create(upper, new long[] {length, length}).castTo(like.dataType());
            Nd4j.exec(new BroadcastAddOp(mask, future, mask, 1, 2));
        }
        if (keepKeys != null) {
            INDArray dropped = keepKeys.castTo(like.dataType()).rsub(1).muli(MASKED);   // (B, T): 0 keep, MASKED drop
            Nd4j.exec(new BroadcastAddOp(mask, dropped, mask, 0, 2));
        }
        return mask;
    }
}
