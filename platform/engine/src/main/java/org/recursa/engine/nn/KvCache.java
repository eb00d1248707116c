package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** A recursion's slot name: {@code recursion.<d>} or {@code loop.<d>}, then the layer within the step. */
    private static final Pattern RECURSION =
            Pattern.compile("(recursion|loop)\\.(\\d+)(.*)");

    private final int maxLength;
    private final int width;
    private int rows;
    private final Map<String, Slot> slots = new HashMap<>();
    private final Map<String, TreeMap<Integer, Slot>> families = new HashMap<>();
    private boolean fallback = true;

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

    /**
     * Whether a key absent from a recursion's slot is looked up at the nearest other depth of the same layer (the
     * latest shallower one first): a position that left the recursion early lends later positions its latest keys and
     * values. On by default; off for routed models, whose tokens not routed into a recursion are not to be seen
     * there (Mixture-of-Recursions' recursion-wise caching).
     */
    public void fallBackAcrossDepths(boolean enabled) {
        this.fallback = enabled;
    }

    /** Forgets every slot's entries at {@code position} of {@code row} (an open position given up or re-run). */
    public void clear(int row, int position) {
        for (Slot slot : slots.values()) {
            slot.present[row * maxLength + position] = false;
        }
    }

    /** The number of rows. */
    public int rows() {
        return rows;
    }

    /** The number of slots written so far. */
    public int slots() {
        return slots.size();
    }

    /** Key and value entries present over every slot, times the width: the values a lean cache would hold. */
    public long values() {
        long entries = 0;
        for (Slot slot : slots.values()) {
            for (boolean present : slot.present) {
                entries += present ? 1 : 0;
            }
        }
        return 2 * entries * width;
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
        Slot slot = slots.get(name);
        if (slot == null) {
            slot = new Slot(type == DataType.DOUBLE);
            slots.put(name, slot);
            Matcher recursion = RECURSION.matcher(name);
            if (recursion.matches()) {
                families.computeIfAbsent(recursion.group(1) + "*" + recursion.group(3), f -> new TreeMap<>())
                        .put(Integer.parseInt(recursion.group(2)), slot);
            }
        }
        return slot;
    }

    /** The slots of the same layer at other depths, nearest shallower first, then nearest deeper; empty if none. */
    private List<Slot> others(String name) {
        Matcher recursion = RECURSION.matcher(name);
        if (!fallback || !recursion.matches()) {
            return List.of();
        }
        TreeMap<Integer, Slot> family = families.get(recursion.group(1) + "*" + recursion.group(3));
        int depth = Integer.parseInt(recursion.group(2));
        List<Slot> order = new ArrayList<>(family.headMap(depth, false).descendingMap().values());
        order.addAll(family.tailMap(depth, false).values());
        return order;
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
            long values = (long) count * maxLength * width;
            if (values > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a key/value cache of " + count + " rows x " + maxLength
                        + " positions x width " + width + " does not fit one array; decode fewer rows at once");
            }
            int size = (int) values;
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
        void write(double[] packed, int[] tokenRow, int[] position, int[] tokens) {
            for (int i : tokens) {
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
        double[] attend(double[] packed, int[] tokenRow, int[] position, int heads, AttentionScope.Visibility visible,
                        List<Slot> others, int[] tokens, double[] out) {
            int headSize = width / heads;
            double scale = 1 / Math.sqrt(headSize);
            double[] scores = new double[maxLength];
            Slot[] source = new Slot[maxLength];
            for (int i : tokens) {
                int row = tokenRow[i];
                if (row < 0) {
                    continue;
                }
                int query = position[i];
                for (int p = 0; p <= query; p++) {
                    source[p] = present[row * maxLength + p] ? this : holder(row * maxLength + p, others);
                }
                for (int h = 0; h < heads; h++) {
                    int q = i * 3 * width + h * headSize;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int p = 0; p <= query; p++) {
                        if (source[p] == null || (visible != null && !visible.sees(query, p))) {
                            scores[p] = Double.NaN;
                            continue;
                        }
                        int k = (row * maxLength + p) * width + h * headSize;
                        scores[p] = source[p].dot(k, packed, q, headSize) * scale;
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
                        int v = (row * maxLength + p) * width + h * headSize;
                        source[p].accumulate(v, scores[p] / sum, out, o, headSize);
                    }
                }
            }
            return out;
        }

        /** {@link #write} for a float pass: the same, without widening. */
        void writeFloats(float[] packed, int[] tokenRow, int[] position, int[] tokens) {
            for (int i : tokens) {
                if (tokenRow[i] < 0) {
                    continue;
                }
                checkPosition(position[i]);
                int at = (tokenRow[i] * maxLength + position[i]) * width;
                int from = i * 3 * width;
                System.arraycopy(packed, from + width, keysF, at, width);
                System.arraycopy(packed, from + 2 * width, valuesF, at, width);
                present[tokenRow[i] * maxLength + position[i]] = true;
            }
        }

        /**
         * {@link #attend} for a float pass, in float: the kernel of incremental decoding. The same loops, kept apart
         * because the JIT vectorises them only over one primitive type (partial sums for the dot products, a plain
         * multiply-add for the weighted values).
         */
        void attendFloats(float[] packed, int[] tokenRow, int[] position, int heads, AttentionScope.Visibility visible,
                          List<Slot> others, int[] tokens, float[] out) {
            int headSize = width / heads;
            float scale = (float) (1 / Math.sqrt(headSize));
            float[] scores = new float[maxLength];
            Slot[] source = new Slot[maxLength];
            for (int i : tokens) {
                int row = tokenRow[i];
                if (row < 0) {
                    continue;
                }
                int query = position[i];
                for (int p = 0; p <= query; p++) {
                    Slot holder = present[row * maxLength + p] ? this : holder(row * maxLength + p, others);
                    source[p] = holder != null && (visible == null || visible.sees(query, p)) ? holder : null;
                }
                for (int h = 0; h < heads; h++) {
                    int q = i * 3 * width + h * headSize;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int p = 0; p <= query; p++) {
                        if (source[p] != null) {
                            scores[p] = dotFloats(source[p].keysF, (row * maxLength + p) * width + h * headSize,
                                    packed, q, headSize) * scale;
                            max = Math.max(max, scores[p]);
                        }
                    }
                    if (max == Float.NEGATIVE_INFINITY) {
                        throw new IllegalStateException("a query at position " + query + " of row " + row
                                + " sees no key");
                    }
                    float sum = 0;
                    for (int p = 0; p <= query; p++) {
                        if (source[p] != null) {
                            scores[p] = (float) Math.exp(scores[p] - max);
                            sum += scores[p];
                        }
                    }
                    int o = i * width + h * headSize;
                    for (int p = 0; p <= query; p++) {
                        if (source[p] != null) {
                            float weight = scores[p] / sum;
                            float[] values = source[p].valuesF;
                            int v = (row * maxLength + p) * width + h * headSize;
                            for (int d = 0; d < headSize; d++) {
                                out[o + d] += weight * values[v + d];
                            }
                        }
                    }
                }
            }
        }

        /** The slot holding entry {@code index}: this one, else the first of {@code others} that does; or null. */
        private Slot holder(int index, List<Slot> others) {
            if (present[index]) {
                return this;
            }
            for (Slot other : others) {
                if (other.present[index]) {
                    return other;
                }
            }
            return null;
        }

        /**
         * The dot product of the stored key at {@code k} with {@code query[q..q+n)}, summed in four independent
         * partial sums: one running sum makes every add wait for the previous one, and this loop is most of a
         * decoding step's attention.
         */
        private double dot(int k, double[] query, int q, int n) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int d = 0;
            if (doubles) {
                double[] keys = keysD;
                for (; d + 3 < n; d += 4) {
                    s0 += query[q + d] * keys[k + d];
                    s1 += query[q + d + 1] * keys[k + d + 1];
                    s2 += query[q + d + 2] * keys[k + d + 2];
                    s3 += query[q + d + 3] * keys[k + d + 3];
                }
                for (; d < n; d++) {
                    s0 += query[q + d] * keys[k + d];
                }
            } else {
                float[] keys = keysF;
                for (; d + 3 < n; d += 4) {
                    s0 += query[q + d] * keys[k + d];
                    s1 += query[q + d + 1] * keys[k + d + 1];
                    s2 += query[q + d + 2] * keys[k + d + 2];
                    s3 += query[q + d + 3] * keys[k + d + 3];
                }
                for (; d < n; d++) {
                    s0 += query[q + d] * keys[k + d];
                }
            }
            return (s0 + s1) + (s2 + s3);
        }

        /** {@code out[o..o+n) += weight * value[v..v+n)}. */
        private void accumulate(int v, double weight, double[] out, int o, int n) {
            if (doubles) {
                double[] values = valuesD;
                for (int d = 0; d < n; d++) {
                    out[o + d] += weight * values[v + d];
                }
            } else {
                float[] values = valuesF;
                for (int d = 0; d < n; d++) {
                    out[o + d] += weight * values[v + d];
                }
            }
        }

        private void checkPosition(int position) {
            if (position < 0 || position >= maxLength) {
                throw new IllegalArgumentException("position " + position + " is outside 0.." + (maxLength - 1));
            }
        }
    }

    /**
     * One attention application of an incremental pass: token i's keys and values go into slot {@code names[i]}
     * (unless {@code keysOf} names a slot to read instead), then each token attends over its row in its slot.
     *
     * @param packed (N, 3C) queries, keys and values
     * @return (N, C)
     */
    double[] attend(String[] names, String keysOf, double[] packed, int[] tokenRow, int[] position, int heads,
                    AttentionScope.Visibility visible, DataType type) {
        Map<String, int[]> groups = groups(names);
        if (keysOf == null) {
            for (Map.Entry<String, int[]> group : groups.entrySet()) {
                slot(group.getKey(), type).write(packed, tokenRow, position, group.getValue());
            }
        }
        double[] out = new double[tokenRow.length * width];
        for (Map.Entry<String, int[]> group : groups.entrySet()) {
            String name = keysOf != null ? keysOf : group.getKey();
            Slot slot = keysOf != null ? existing(keysOf) : slots.get(name);
            if (slot == null) {
                throw new IllegalStateException("cache slot " + keysOf + " was never written");
            }
            slot.attend(packed, tokenRow, position, heads, visible, others(name), group.getValue(), out);
        }
        return out;
    }

    /** The token indices per slot name, in first-seen order. */
    private static Map<String, int[]> groups(String[] names) {
        Map<String, List<Integer>> lists = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            lists.computeIfAbsent(names[i], n -> new ArrayList<>()).add(i);
        }
        Map<String, int[]> groups = new LinkedHashMap<>();
        lists.forEach((name, list) -> groups.put(name, list.stream().mapToInt(Integer::intValue).toArray()));
        return groups;
    }

    /** {@code keys[k..k+n) . query[q..q+n)} in four partial sums (one running sum serialises the adds). */
    private static float dotFloats(float[] keys, int k, float[] query, int q, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < n; d += 4) {
            s0 += query[q + d] * keys[k + d];
            s1 += query[q + d + 1] * keys[k + d + 1];
            s2 += query[q + d + 2] * keys[k + d + 2];
            s3 += query[q + d + 3] * keys[k + d + 3];
        }
        for (; d < n; d++) {
            s0 += query[q + d] * keys[k + d];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@link #attend} for a float pass: stores and attends in float, as the full pass's kernels compute.
     *
     * @param packed (N, 3C) queries, keys and values
     * @return (N, C)
     */
    float[] attendFloats(String[] names, String keysOf, float[] packed, int[] tokenRow, int[] position, int heads,
                         AttentionScope.Visibility visible) {
        Map<String, int[]> groups = groups(names);
        if (keysOf == null) {
            for (Map.Entry<String, int[]> group : groups.entrySet()) {
                slot(group.getKey(), DataType.FLOAT).writeFloats(packed, tokenRow, position, group.getValue());
            }
        }
        float[] out = new float[tokenRow.length * width];
        for (Map.Entry<String, int[]> group : groups.entrySet()) {
            String name = keysOf != null ? keysOf : group.getKey();
            Slot slot = keysOf != null ? existing(keysOf) : slots.get(name);
            if (slot == null) {
                throw new IllegalStateException("cache slot " + keysOf + " was never written");
            }
            slot.attendFloats(packed, tokenRow, position, heads, visible, others(name), group.getValue(), out);
        }
        return out;
    }

    /** A (N, C) result in the data type of {@code like}, made in that type directly (one array, no cast). */
    static INDArray matrix(double[] values, int rows, int columns, INDArray like) {
        if (like.dataType() != DataType.FLOAT) {
            return Nd4j.create(values, new long[] {rows, columns}, 'c').castTo(like.dataType());
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) values[i];
        }
        return Nd4j.create(floats, new long[] {rows, columns}, 'c');
    }

    @Override
    public String toString() {
        return "KvCache" + Arrays.asList(rows, maxLength, width) + slots.keySet();
    }
}
