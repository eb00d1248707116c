package org.recursa.engine.nn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The keys and values of a decode session's rows, one slot per attention application of a pass (named as a
 * recorder names block applications: {@code layer.<n>}, {@code recursion.<r>}, ...), each at the absolute position
 * of the token it belongs to.
 *
 * <p>A slot holds a position only if the token took part in that application: a routed architecture that sends a
 * token past a recursion leaves the recursion's slot empty there, and later tokens at that recursion do not see
 * it. That is Mixture-of-Recursions' recursion-wise caching; recursive KV sharing reads another slot
 * ({@link AttentionScope#withKeysOf}).
 *
 * <p>Storage is in the pass's data type (float or double): {@code rows * maxLength * width} keys and as many values
 * per slot, allocated when the slot is first written.
 *
 * @since 0.9.0
 */
public final class KvCache {

    private final int maxLength;
    private final int width;
    private int rows;
    private final Map<String, Slot> slots = new HashMap<>();

    /**
     * @param rows      the session's rows
     * @param maxLength the longest sequence
     * @param width     C, the model width
     */
    public KvCache(int rows, int maxLength, int width) {
        this.rows = rows;
        this.maxLength = maxLength;
        this.width = width;
    }

    /** The number of rows. */
    public int rows() {
        return rows;
    }

    /** The number of slots written so far. */
    public int slots() {
        return slots.size();
    }

    /** Bytes held by the slots' keys and values. */
    public long bytes() {
        long total = 0;
        for (Slot slot : slots.values()) {
            total += slot.bytes();
        }
        return total;
    }

    /** New row i continues old row {@code sources[i]}, in every slot. */
    public void select(int[] sources) {
        for (int source : sources) {
            if (source < 0 || source >= rows) {
                throw new IllegalArgumentException("row " + source + " is not a row of this cache (0.." + (rows - 1)
                        + ")");
            }
        }
        for (Slot slot : slots.values()) {
            slot.select(sources);
        }
        rows = sources.length;
    }

    /** The slot named {@code name}, created empty in the data type of {@code like} on first use. */
    Slot slot(String name, DataType type) {
        return slots.computeIfAbsent(name, n -> new Slot(type == DataType.DOUBLE));
    }

    /** The slot named {@code name}, or null if no pass has written it. */
    Slot existing(String name) {
        return slots.get(name);
    }

    /** One attention application's keys and values per row and position, with which positions are present. */
    final class Slot {

        private final boolean doubles;
        private float[] keysF;
        private float[] valuesF;
        private double[] keysD;
        private double[] valuesD;
        private boolean[] present;

        private Slot(boolean doubles) {
            this.doubles = doubles;
            allocate(rows);
        }

        private void allocate(int count) {
            int size = count * maxLength * width;
            if (doubles) {
                keysD = new double[size];
                valuesD = new double[size];
            } else {
                keysF = new float[size];
                valuesF = new float[size];
            }
            present = new boolean[count * maxLength];
        }

        long bytes() {
            return doubles ? 16L * keysD.length : 8L * keysF.length;
        }

        void select(int[] sources) {
            float[] kf = keysF;
            float[] vf = valuesF;
            double[] kd = keysD;
            double[] vd = valuesD;
            boolean[] old = present;
            allocate(sources.length);
            int block = maxLength * width;
            for (int i = 0; i < sources.length; i++) {
                if (doubles) {
                    System.arraycopy(kd, sources[i] * block, keysD, i * block, block);
                    System.arraycopy(vd, sources[i] * block, valuesD, i * block, block);
                } else {
                    System.arraycopy(kf, sources[i] * block, keysF, i * block, block);
                    System.arraycopy(vf, sources[i] * block, valuesF, i * block, block);
                }
                System.arraycopy(old, sources[i] * maxLength, present, i * maxLength, maxLength);
            }
        }

        /**
         * Stores the keys and values of every token with a row (columns C..2C and 2C..3C of its packed q/k/v).
         *
         * @param packed    (N, 3C)
         * @param tokenRow  the session row of each of the N tokens, or -1 for padding
         * @param position  the absolute position of each token
         */
        void write(double[] packed, int[] tokenRow, int[] position) {
            for (int i = 0; i < tokenRow.length; i++) {
                if (tokenRow[i] < 0) {
                    continue;
                }
                checkPosition(position[i]);
                int at = (tokenRow[i] * maxLength + position[i]) * width;
                int from = i * 3 * width;
                for (int c = 0; c < width; c++) {
                    if (doubles) {
                        keysD[at + c] = packed[from + width + c];
                        valuesD[at + c] = packed[from + 2 * width + c];
                    } else {
                        keysF[at + c] = (float) packed[from + width + c];
                        valuesF[at + c] = (float) packed[from + 2 * width + c];
                    }
                }
                present[tokenRow[i] * maxLength + position[i]] = true;
            }
        }

        /**
         * Causal attention of each token's query over the present keys of its row at positions up to its own, and
         * only those {@code visible} allows; padding tokens get zeros.
         *
         * @param packed   (N, 3C) packed q/k/v (only the queries are read)
         * @param heads    H
         * @param visible  which key positions a query position may see beyond causality, or null for all
         * @return (N, C) the heads' outputs side by side
         */
        double[] attend(double[] packed, int[] tokenRow, int[] position, int heads, AttentionScope.Visibility visible) {
            int headSize = width / heads;
            double scale = 1 / Math.sqrt(headSize);
            double[] out = new double[tokenRow.length * width];
            double[] scores = new double[maxLength];
            for (int i = 0; i < tokenRow.length; i++) {
                int row = tokenRow[i];
                if (row < 0) {
                    continue;
                }
                int query = position[i];
                for (int h = 0; h < heads; h++) {
                    int q = i * 3 * width + h * headSize;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int p = 0; p <= query; p++) {
                        if (!present[row * maxLength + p] || (visible != null && !visible.sees(query, p))) {
                            scores[p] = Double.NaN;
                            continue;
                        }
                        int k = (row * maxLength + p) * width + h * headSize;
                        double dot = 0;
                        for (int d = 0; d < headSize; d++) {
                            dot += packed[q + d] * key(k + d);
                        }
                        scores[p] = dot * scale;
                        max = Math.max(max, scores[p]);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        throw new IllegalStateException("a query at position " + query + " of row " + row
                                + " sees no key");
                    }
                    double sum = 0;
                    for (int p = 0; p <= query; p++) {
                        if (!Double.isNaN(scores[p])) {
                            scores[p] = Math.exp(scores[p] - max);
                            sum += scores[p];
                        }
                    }
                    int o = i * width + h * headSize;
                    for (int p = 0; p <= query; p++) {
                        if (Double.isNaN(scores[p])) {
                            continue;
                        }
                        double weight = scores[p] / sum;
                        int v = (row * maxLength + p) * width + h * headSize;
                        for (int d = 0; d < headSize; d++) {
                            out[o + d] += weight * value(v + d);
                        }
                    }
                }
            }
            return out;
        }

        private double key(int index) {
            return doubles ? keysD[index] : keysF[index];
        }

        private double value(int index) {
            return doubles ? valuesD[index] : valuesF[index];
        }

        private void checkPosition(int position) {
            if (position < 0 || position >= maxLength) {
                throw new IllegalArgumentException("position " + position + " is outside 0.." + (maxLength - 1));
            }
        }
    }

    /** A (N, C) result in the data type of {@code like}. */
    static INDArray matrix(double[] values, int rows, int columns, INDArray like) {
        return Nd4j.create(values, new long[] {rows, columns}, 'c').castTo(like.dataType());
    }

    @Override
    public String toString() {
        return "KvCache" + Arrays.asList(rows, maxLength, width) + slots.keySet();
    }
}
