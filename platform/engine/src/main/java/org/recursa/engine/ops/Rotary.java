package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.Gradients;

/**
 * Rotary position embedding (RoPE, Su et al. 2021) on packed q/k/v: within every head, the pair of query and key
 * features {@code (2i, 2i+1)} of the token at position {@code t} is rotated by the angle
 * {@code t * BASE^(-2i/D)}; values pass through. The dot product of a rotated query at position {@code s} and a
 * rotated key at position {@code t} then depends on the positions only through {@code s - t}.
 */
public final class Rotary {

    /** The wavelength base of the original paper. */
    public static final double BASE = 10_000;

    private Rotary() {
    }

    /**
     * Rotates the queries and keys of a right-padded batch; position {@code t} of every row is its index.
     *
     * @param qkv    (B*T, 3C) packed as [q | k | v], each head's D = C / heads features contiguous
     * @param heads  attention heads; D must be even
     * @return (B*T, 3C)
     */
    public static Var apply(Tape tape, Var qkv, int batch, int length, int heads) {
        int[] positions = new int[batch * length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i % length;
        }
        return apply(tape, qkv, positions, heads);
    }

    /**
     * Rotates the queries and keys of rows at arbitrary positions: row i at {@code positions[i]}. Incremental
     * decoding rotates new tokens by where they stand in their sequence this way.
     *
     * @param positions one position (>= 0) per row of {@code qkv}
     * @since 0.8.0
     */
    public static Var apply(Tape tape, Var qkv, int[] positions, int heads) {
        long width = qkv.value().columns() / 3;
        if (width % heads != 0 || (width / heads) % 2 != 0) {
            throw new IllegalArgumentException("rotary embeddings need an even head size, got width " + width
                    + " and " + heads + " heads");
        }
        if (positions.length != qkv.value().rows()) {
            throw new IllegalArgumentException(positions.length + " positions for " + qkv.value().rows() + " rows");
        }
        int headSize = (int) (width / heads);
        int longest = 0;
        for (int position : positions) {
            longest = Math.max(longest, position + 1);
        }
        double[][] angles = angles(longest, headSize);
        INDArray out = rotate(qkv.value(), positions, (int) width, headSize, angles, 1);
        Var result = new Var(out, tape.needsGrad(qkv));
        tape.record(() -> {
            Gradients.adopt(qkv, rotate(result.grad(), positions, (int) width, headSize, angles, -1));
            Gradients.release(result);
        }, qkv);
        return result;
    }

    /** {@code angles[t][i] = t * BASE^(-2i/D)}. */
    static double[][] angles(int length, int headSize) {
        double[][] angles = new double[length][headSize / 2];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < headSize / 2; i++) {
                angles[t][i] = t * Math.pow(BASE, -2.0 * i / headSize);
            }
        }
        return angles;
    }

    /**
     * A copy of {@code packed} with every q and k pair rotated by {@code sign} times its angle: +1 forward; -1, the
     * inverse (and transpose) rotation, for the backward pass.
     */
    private static INDArray rotate(INDArray packed, int[] positions, int width, int headSize, double[][] angles,
                                   int sign) {
        int columns = 3 * width;
        double[] values = packed.dup('c').data().asDouble();
        for (int r = 0; r < positions.length; r++) {
            int t = positions[r];
            int row = r * columns;
            for (int part = 0; part < 2; part++) {                  // q, then k; v is left alone
                for (int h = 0; h < width / headSize; h++) {
                    int base = row + part * width + h * headSize;
                    for (int i = 0; i < headSize / 2; i++) {
                        double cos = Math.cos(angles[t][i]);
                        double sin = sign * Math.sin(angles[t][i]);
                        double x0 = values[base + 2 * i];
                        double x1 = values[base + 2 * i + 1];
                        values[base + 2 * i] = x0 * cos - x1 * sin;
                        values[base + 2 * i + 1] = x0 * sin + x1 * cos;
                    }
                }
            }
        }
        return Nd4j.create(values, packed.shape(), 'c').castTo(packed.dataType());
    }
}
