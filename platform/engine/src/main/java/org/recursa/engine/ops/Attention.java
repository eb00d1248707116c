package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.HeapFloats;
import org.recursa.engine.kernel.Permute;
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
        // (B, T, 3, H, D) -> (3, B, H, T, D): one contiguous copy, then q, k, v are views of it.
        INDArray split = permuted(qkv.value(), new long[] {batch, length, 3, heads, headSize}, 2, 0, 3, 1, 4);
        INDArray q = split.slice(0);
        INDArray k = split.slice(1);
        INDArray v = split.slice(2);
        INDArray scores = matmul(q, false, k, true, null).muli(scale);                 // (B, H, T, T)
        if (mask != null) {
            Nd4j.exec(new BroadcastAddOp(scores, mask, scores, 0, 2, 3));
        }
        INDArray p = Nd4j.exec(new SoftMax(scores, scores, 3))[0];                      // (B, H, T, T)
        INDArray y = matmul(p, false, v, false, null);                                  // (B, H, T, D)
        INDArray out = permuted(y, y.shape(), 0, 2, 1, 3).reshape('c', (long) batch * length, width);
        Var result = new Var(out, tape.needsGrad(qkv));
        tape.record(() -> {
            INDArray dy = permuted(result.grad(), new long[] {batch, length, heads, headSize}, 0, 2, 1, 3);
            INDArray dSplit = split.ulike();                                             // (3, B, H, T, D)
            INDArray dp = matmul(dy, false, v, true, null);                              // (B, H, T, T)
            matmul(p, true, dy, false, dSplit.slice(2));                                 // dv = p^T dy
            INDArray ds = softmaxBackward(p, dp, scale);
            matmul(ds, false, k, false, dSplit.slice(0));                                // dq = ds k
            matmul(ds, true, q, false, dSplit.slice(1));                                 // dk = ds^T q
            qkv.accumulateOwned(permuted(dSplit, dSplit.shape(), 1, 3, 0, 2, 4)
                    .reshape('c', (long) batch * length, 3 * width));
        }, qkv);
        return result;
    }

    /** Batched {@code op(a) op(b)} over the leading axes, into a new array or written over {@code into}. */
    private static INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray into) {
        int rank = a.rank();
        if (!Blas.applies(a, b) || (into != null && !Blas.applies(into))) {
            return into == null ? Nd4j.matmul(a, b, transposeA, transposeB, false)
                    : Nd4j.matmul(a, b, into, transposeA, transposeB, false);
        }
        INDArray c = into;
        if (c == null) {
            long[] shape = a.shape().clone();
            shape[rank - 2] = transposeA ? a.size(rank - 1) : a.size(rank - 2);
            shape[rank - 1] = transposeB ? b.size(rank - 2) : b.size(rank - 1);
            c = Nd4j.createUninitialized(a.dataType(), shape, 'c');
        }
        Blas.matmul(a, transposeA, b, transposeB, c, 1, 0);
        return c;
    }

    /** A new row-major array holding {@code a}, viewed with {@code shape}, with its axes in {@code order}. */
    private static INDArray permuted(INDArray a, long[] shape, int... order) {
        if (!HeapFloats.applies(a)) {
            return a.reshape('c', shape).permute(order).dup('c');
        }
        long[] permutedShape = new long[order.length];
        for (int axis = 0; axis < order.length; axis++) {
            permutedShape[axis] = shape[order[axis]];
        }
        float[] values = HeapFloats.slot(1, a.length());
        Permute.copy(HeapFloats.read(a, 0), shape, order, values);
        INDArray result = Nd4j.createUninitialized(a.dataType(), permutedShape, 'c');
        HeapFloats.write(values, result);
        return result;
    }

    /** {@code ds = scale * p * (dp - sum(dp * p, last))}, written over dp. */
    private static INDArray softmaxBackward(INDArray p, INDArray dp, double scale) {
        if (HeapFloats.applies(p, dp)) {
            int cols = Math.toIntExact(p.size(p.rank() - 1));
            int rows = Math.toIntExact(p.length() / cols);
            float[] ds = HeapFloats.read(dp, 1);
            SoftmaxKernel.backward(HeapFloats.read(p, 0), ds, rows, cols, (float) scale);
            HeapFloats.write(ds, dp);
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
