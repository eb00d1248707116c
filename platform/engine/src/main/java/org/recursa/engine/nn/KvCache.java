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
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.kernel.Blas;

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
 * <p>Storage is in the pass's data type: {@code rows * maxLength * width} keys and as many values per slot,
 * allocated when the slot is first written. Float slots live off-heap and attend with OpenBLAS (one matrix-vector
 * product for a query's scores over its row's keys, one for the weighted values); double slots, which only
 * precision tests use, live on the heap and attend with plain loops.
 *
 * @since 0.9.0
 */
public final class KvCache {

    /** A recursion's slot name: {@code recursion.<d>} or {@code loop.<d>}, then the layer within the step. */
    private static final Pattern RECURSION = Pattern.compile("(recursion|loop)\\.(\\d+)(.*)");

    private final int maxLength;
    private final int width;
    private int rows;
    private final Map<String, Slot> slots = new HashMap<>();
    private final Map<String, TreeMap<Integer, Slot>> families = new HashMap<>();
    private boolean fallback = true;
    private FloatPointer scores;                  // one query's scores, reused by every float attention

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

    /** Releases the off-heap keys and values now rather than when the collector finds them. */
    public void close() {
        for (Slot slot : slots.values()) {
            slot.close();
        }
        slots.clear();
        families.clear();
        if (scores != null) {
            scores.close();
            scores = null;
        }
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

    /**
     * One attention application of an incremental float pass: token i's keys and values go into slot
     * {@code names[i]} (unless {@code keysOf} names a slot to read instead), then each token attends over its row in
     * its slot.
     *
     * @param packed (N, 3C) float queries, keys and values, dense row-major
     * @return (N, C) float
     */
    INDArray attend(String[] names, String keysOf, INDArray packed, int[] tokenRow, int[] position, int heads,
                    AttentionScope.Visibility visible) {
        boolean doubles = packed.dataType() == DataType.DOUBLE;
        Map<String, int[]> groups = groups(names);
        Tokens tokens = new Tokens(packed, tokenRow, position, heads);
        if (keysOf == null) {
            for (Map.Entry<String, int[]> group : groups.entrySet()) {
                slot(group.getKey(), doubles).write(tokens, group.getValue());
            }
        }
        Output out = new Output(tokenRow.length, width, doubles);
        for (Map.Entry<String, int[]> group : groups.entrySet()) {
            String name = keysOf != null ? keysOf : group.getKey();
            Slot slot = slots.get(name);
            if (slot == null) {
                throw new IllegalStateException("cache slot " + name + " was never written");
            }
            slot.attend(tokens, visible, others(name), group.getValue(), out);
        }
        return out.array();
    }

    /** The slot named {@code name}, created empty on first use. */
    private Slot slot(String name, boolean doubles) {
        Slot slot = slots.get(name);
        if (slot == null) {
            slot = doubles ? new DoubleSlot() : new FloatSlot();
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
        if (family == null) {
            return List.of();
        }
        int depth = Integer.parseInt(recursion.group(2));
        List<Slot> order = new ArrayList<>(family.headMap(depth, false).descendingMap().values());
        order.addAll(family.tailMap(depth, false).values());
        return order;
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

    private int checkedSize(int count) {
        long values = (long) count * maxLength * width;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a key/value cache of " + count + " rows x " + maxLength
                    + " positions x width " + width + " does not fit one array; decode fewer rows at once");
        }
        return (int) values;
    }

    private void checkPosition(int position) {
        if (position < 0 || position >= maxLength) {
            throw new IllegalArgumentException("position " + position + " is outside 0.." + (maxLength - 1));
        }
    }

    /** The pass's packed q/k/v with each token's row and position. */
    private static final class Tokens {

        final INDArray packed;
        final int[] row;
        final int[] position;
        final int heads;
        private double[] doubles;
        private FloatPointer pointer;

        Tokens(INDArray packed, int[] row, int[] position, int heads) {
            this.packed = packed;
            this.row = row;
            this.position = position;
            this.heads = heads;
        }

        double[] doubles() {
            if (doubles == null) {
                doubles = packed.dup('c').data().asDouble();
            }
            return doubles;
        }

        /** A pointer to the dense float q/k/v (a copy when the array is not dense). */
        FloatPointer pointer() {
            if (pointer == null) {
                INDArray floats = packed.dataType() == DataType.FLOAT ? packed : packed.castTo(DataType.FLOAT);
                pointer = Blas.pointer(Blas.denseFloat(floats) ? floats : floats.dup('c'));
            }
            return pointer;
        }
    }

    /** The (N, C) result being assembled. */
    private static final class Output {

        private final INDArray floats;
        private final double[] doubles;
        private final int rows;
        private final int columns;

        Output(int rows, int columns, boolean doubles) {
            this.rows = rows;
            this.columns = columns;
            this.doubles = doubles ? new double[rows * columns] : null;
            this.floats = doubles ? null : Nd4j.zeros(DataType.FLOAT, rows, columns);
        }

        INDArray array() {
            return floats != null ? floats : Nd4j.create(doubles, new long[] {rows, columns}, 'c');
        }
    }

    /** One attention application's keys and values per row and position, with which positions are present. */
    private abstract class Slot {

        boolean[] present = new boolean[rows * maxLength];

        /** Stores the keys and values of the listed tokens that have a row. */
        abstract void write(Tokens tokens, int[] which);

        /**
         * Causal attention of each listed token's query over the present keys of its row at positions up to its own
         * (or those of the same layer at its nearest depth, {@code others}), only those {@code visible} allows.
         */
        abstract void attend(Tokens tokens, AttentionScope.Visibility visible, List<Slot> others, int[] which,
                             Output out);

        /** Row i of the slot continues row {@code sources[i]}. */
        abstract void select(int[] sources);

        /** Releases off-heap memory, if any. */
        void close() {
        }

        /** The flags of the selected rows. */
        final void selectPresent(int[] sources) {
            boolean[] old = present;
            present = new boolean[sources.length * maxLength];
            for (int i = 0; i < sources.length; i++) {
                System.arraycopy(old, sources[i] * maxLength, present, i * maxLength, maxLength);
            }
        }

        /** Which slot holds entry {@code index}: this one, else the first of {@code others} that does; or null. */
        final Slot holder(int index, List<Slot> others) {
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

        /** Per position 0..query of {@code row}: the slot holding it if the query may see it, else null. */
        final Slot[] sources(int row, int query, AttentionScope.Visibility visible, List<Slot> others) {
            Slot[] source = new Slot[query + 1];
            boolean any = false;
            for (int p = 0; p <= query; p++) {
                Slot holder = holder(row * maxLength + p, others);
                source[p] = holder != null && (visible == null || visible.sees(query, p)) ? holder : null;
                any |= source[p] != null;
            }
            if (!any) {
                throw new IllegalStateException("a query at position " + query + " of row " + row + " sees no key");
            }
            return source;
        }
    }

    /** Off-heap float storage; scores and weighted values by OpenBLAS matrix-vector products. */
    private final class FloatSlot extends Slot {

        private FloatPointer keys;
        private FloatPointer values;

        FloatSlot() {
            allocate(rows);
        }

        private void allocate(int count) {
            int size = checkedSize(count);
            keys = new FloatPointer(size);
            values = new FloatPointer(size);
            // zeros, so that an absent position's weight of 0 never meets a NaN left in uninitialised memory
            keys.fill(0);
            values.fill(0);
        }

        @Override
        void write(Tokens tokens, int[] which) {
            FloatPointer packed = tokens.pointer();
            for (int i : which) {
                if (tokens.row[i] < 0) {
                    continue;
                }
                checkPosition(tokens.position[i]);
                long at = ((long) tokens.row[i] * maxLength + tokens.position[i]) * width;
                long from = (long) i * 3 * width;
                copy(packed, from + width, keys, at, width);
                copy(packed, from + 2L * width, values, at, width);
                present[tokens.row[i] * maxLength + tokens.position[i]] = true;
            }
        }

        @Override
        void attend(Tokens tokens, AttentionScope.Visibility visible, List<Slot> others, int[] which, Output out) {
            int headSize = width / tokens.heads;
            float scale = (float) (1 / Math.sqrt(headSize));
            FloatPointer query = tokens.pointer();
            FloatPointer result = Blas.pointer(out.floats);
            if (scores == null) {
                scores = new FloatPointer(maxLength);
            }
            float[] weights = new float[maxLength];
            for (int i : which) {
                int row = tokens.row[i];
                if (row < 0) {
                    continue;
                }
                int query0 = tokens.position[i];
                int length = query0 + 1;
                Slot[] source = sources(row, query0, visible, others);
                long rowStart = (long) row * maxLength * width;
                for (int h = 0; h < tokens.heads; h++) {
                    long q = (long) i * 3 * width + (long) h * headSize;
                    // scores = scale K_h q_h over the row's positions 0..query
                    Blas.gemv(false, length, headSize, scale, keys, rowStart + (long) h * headSize, width, query, q,
                            scores, 0);
                    scores.position(0).get(weights, 0, length);
                    for (int p = 0; p < length; p++) {
                        if (source[p] != null && source[p] != this) {
                            weights[p] = ((FloatSlot) source[p]).dot(rowStart + (long) p * width + h * headSize,
                                    query, q, headSize) * scale;
                        }
                    }
                    softmax(weights, source, length);
                    boolean borrowed = false;
                    for (int p = 0; p < length; p++) {
                        borrowed |= source[p] != null && source[p] != this;
                    }
                    float[] own = borrowed ? ownWeights(weights, source, length) : weights;
                    scores.position(0).put(own, 0, length);
                    // out_h = V_h^T w over the same positions
                    long o = (long) i * width + (long) h * headSize;
                    Blas.gemv(true, length, headSize, 1, values, rowStart + (long) h * headSize, width, scores, 0,
                            result, o);
                    if (borrowed) {
                        addBorrowed(weights, source, length, rowStart + (long) h * headSize, result, o, headSize);
                    }
                }
            }
        }

        /** The weights with those of positions held by other slots zeroed: they are added from their own slots. */
        private float[] ownWeights(float[] weights, Slot[] source, int length) {
            float[] own = weights.clone();
            for (int p = 0; p < length; p++) {
                if (source[p] != this) {
                    own[p] = 0;
                }
            }
            return own;
        }

        /** Adds the weighted values of positions held by other slots (a rare case: a position that left early). */
        private void addBorrowed(float[] weights, Slot[] source, int length, long start, FloatPointer result, long o,
                                 int headSize) {
            float[] sum = new float[headSize];
            result.position(o).get(sum, 0, headSize);
            float[] value = new float[headSize];
            for (int p = 0; p < length; p++) {
                if (source[p] != null && source[p] != this) {
                    ((FloatSlot) source[p]).values.position(start + (long) p * width).get(value, 0, headSize);
                    for (int d = 0; d < headSize; d++) {
                        sum[d] += weights[p] * value[d];
                    }
                }
            }
            result.position(o).put(sum, 0, headSize);
        }

        /** A stored key's dot product with a query, for a position borrowed from this slot. */
        private float dot(long k, FloatPointer query, long q, int headSize) {
            float[] key = new float[headSize];
            float[] vector = new float[headSize];
            keys.position(k).get(key, 0, headSize);
            query.position(q).get(vector, 0, headSize);
            float dot = 0;
            for (int d = 0; d < headSize; d++) {
                dot += key[d] * vector[d];
            }
            return dot;
        }

        @Override
        void select(int[] sources) {
            FloatPointer oldKeys = keys;
            FloatPointer oldValues = values;
            allocate(sources.length);
            long block = (long) maxLength * width;
            for (int i = 0; i < sources.length; i++) {
                copy(oldKeys, sources[i] * block, keys, i * block, block);
                copy(oldValues, sources[i] * block, values, i * block, block);
            }
            oldKeys.close();
            oldValues.close();
            selectPresent(sources);
        }

        @Override
        void close() {
            keys.close();
            values.close();
        }

        private static void copy(FloatPointer from, long fromOffset, FloatPointer to, long toOffset, long count) {
            float[] buffer = new float[Math.toIntExact(count)];
            from.position(fromOffset).get(buffer);
            to.position(toOffset).put(buffer);
        }
    }

    /** Softmax of the scores of visible positions in place; the others get weight 0. */
    private static void softmax(float[] weights, Slot[] source, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < length; p++) {
            if (source[p] != null) {
                max = Math.max(max, weights[p]);
            }
        }
        float sum = 0;
        for (int p = 0; p < length; p++) {
            weights[p] = source[p] != null ? (float) Math.exp(weights[p] - max) : 0;
            sum += weights[p];
        }
        for (int p = 0; p < length; p++) {
            weights[p] /= sum;
        }
    }

    /** Heap double storage and plain loops: the precision reference (tests run models in double). */
    private final class DoubleSlot extends Slot {

        private double[] keys;
        private double[] values;

        DoubleSlot() {
            keys = new double[checkedSize(rows)];
            values = new double[keys.length];
        }

        @Override
        void write(Tokens tokens, int[] which) {
            double[] packed = tokens.doubles();
            for (int i : which) {
                if (tokens.row[i] < 0) {
                    continue;
                }
                checkPosition(tokens.position[i]);
                int at = (tokens.row[i] * maxLength + tokens.position[i]) * width;
                System.arraycopy(packed, i * 3 * width + width, keys, at, width);
                System.arraycopy(packed, i * 3 * width + 2 * width, values, at, width);
                present[tokens.row[i] * maxLength + tokens.position[i]] = true;
            }
        }

        @Override
        void attend(Tokens tokens, AttentionScope.Visibility visible, List<Slot> others, int[] which, Output out) {
            double[] packed = tokens.doubles();
            int headSize = width / tokens.heads;
            double scale = 1 / Math.sqrt(headSize);
            for (int i : which) {
                int row = tokens.row[i];
                if (row < 0) {
                    continue;
                }
                int query = tokens.position[i];
                Slot[] source = sources(row, query, visible, others);
                double[] weights = new double[query + 1];
                for (int h = 0; h < tokens.heads; h++) {
                    int q = i * 3 * width + h * headSize;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int p = 0; p <= query; p++) {
                        if (source[p] != null) {
                            double[] k = ((DoubleSlot) source[p]).keys;
                            int at = (row * maxLength + p) * width + h * headSize;
                            double dot = 0;
                            for (int d = 0; d < headSize; d++) {
                                dot += packed[q + d] * k[at + d];
                            }
                            weights[p] = dot * scale;
                            max = Math.max(max, weights[p]);
                        }
                    }
                    double sum = 0;
                    for (int p = 0; p <= query; p++) {
                        weights[p] = source[p] != null ? Math.exp(weights[p] - max) : 0;
                        sum += weights[p];
                    }
                    int o = i * width + h * headSize;
                    for (int p = 0; p <= query; p++) {
                        if (source[p] != null) {
                            double[] v = ((DoubleSlot) source[p]).values;
                            int at = (row * maxLength + p) * width + h * headSize;
                            for (int d = 0; d < headSize; d++) {
                                out.doubles[o + d] += weights[p] / sum * v[at + d];
                            }
                        }
                    }
                }
            }
        }

        @Override
        void select(int[] sources) {
            double[] oldKeys = keys;
            double[] oldValues = values;
            keys = new double[checkedSize(sources.length)];
            values = new double[keys.length];
            int block = maxLength * width;
            for (int i = 0; i < sources.length; i++) {
                System.arraycopy(oldKeys, sources[i] * block, keys, i * block, block);
                System.arraycopy(oldValues, sources[i] * block, values, i * block, block);
            }
            selectPresent(sources);
        }
    }

    @Override
    public String toString() {
        return "KvCache" + Arrays.asList(rows, maxLength, width) + slots.keySet();
    }
}
