package org.recursa.engine.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.train.Recorder;

/**
 * What every layer of one forward pass shares: the tape, the batch, dropout, the batch's causal padding mask
 * (built once per pass instead of once per layer), and, when the pass is recorded for probes, the
 * {@link Recorder} that every {@link Block} reports its application to.
 *
 * <p>Recording. An architecture names a block application by applying the block with {@link #at(String)} (or
 * {@link #at(String, int)}, {@link #at(String, boolean[])}), says which tokens a step left out, and runs blocks on a
 * gathered sub-batch with {@link #gathered}; the recorder always sees the pass's own batch. Without a recorder
 * these methods return this context (or, for {@code gathered}, a plain context of the sub-batch) and allocate
 * nothing, so a pass that is not recorded costs what it cost before.
 */
public final class Context {

    private final Tape tape;
    private final TokenBatch batch;
    private final double dropout;
    private final SplittableRandom random;
    private final boolean rotary;
    private final Recording recording;
    private final Cached cached;
    private INDArray causalMask;

    /**
     * @param tape    where backward passes go
     * @param batch   the token batch (B, T, padding)
     * @param dropout drop probability for residual branches during training
     * @param random  the source of dropout masks
     */
    public Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random) {
        this(tape, batch, dropout, random, false, (Recording) null);
    }

    /**
     * @param rotary whether attention rotates queries and keys by position ({@link PositionEncoding#ROPE}); the
     *               batch's column index is then each token's position
     * @since 0.4.0
     */
    public Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random, boolean rotary) {
        this(tape, batch, dropout, random, rotary, (Recording) null);
    }

    /**
     * A context whose block applications are reported to {@code recorder}.
     *
     * @param recorder receives every step of the pass, or null for none
     * @since 0.5.0
     */
    public Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random, Recorder recorder) {
        this(tape, batch, dropout, random, false, recorder);
    }

    /**
     * A context with rotary positions or not, recorded or not.
     *
     * @since 0.5.0
     */
    public Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random, boolean rotary,
                   Recorder recorder) {
        this(tape, batch, dropout, random, rotary, recorder == null ? null : Recording.root(recorder, batch));
    }

    private Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random, boolean rotary,
                    Recording recording) {
        this(tape, batch, dropout, random, rotary, recording, null);
    }

    private Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random, boolean rotary,
                    Recording recording, Cached cached) {
        this.tape = tape;
        this.batch = batch;
        this.dropout = dropout;
        this.random = random;
        this.rotary = rotary;
        this.recording = recording;
        this.cached = cached;
    }

    /**
     * An inference context of an incremental decoding pass: {@code batch} holds new tokens only, token i of it
     * belongs to session row {@code tokenRow[i]} (-1 for padding) at absolute position {@code position[i]}, and every
     * attention application stores its keys and values in {@code cache} and attends over what the cache holds.
     *
     * @since 0.9.0
     */
    public static Context cached(Tape tape, TokenBatch batch, boolean rotary, KvCache cache, int[] tokenRow,
                                 int[] position) {
        if (tokenRow.length != batch.ids().length || position.length != tokenRow.length) {
            throw new IllegalArgumentException(tokenRow.length + " rows and " + position.length
                    + " positions for a batch of " + batch.ids().length + " tokens");
        }
        return new Context(tape, batch, 0, new SplittableRandom(0), rotary, null,
                new Cached(new CachedPass(cache), null, tokenRow.clone(), position.clone(), null));
    }

    /**
     * Whether this is an incremental decoding pass ({@link #cached}).
     *
     * @since 0.9.0
     */
    public boolean isCached() {
        return cached != null;
    }

    /**
     * Whether block applications should be named with {@link #at}: when the pass is recorded, or cached (the names
     * are the cache's slots). Architectures that build names only for these passes check this.
     *
     * @since 0.9.0
     */
    public boolean tracksSteps() {
        return recording != null || cached != null;
    }

    /**
     * The absolute position of each of the batch's B*T tokens: its column, or in an incremental decoding pass where
     * it stands in its sequence; padding counts as position 0.
     *
     * @since 0.9.0
     */
    public int[] positions() {
        int[] positions = new int[batch.ids().length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = cached == null ? i % batch.length() : Math.max(0, cached.position[i]);
        }
        return positions;
    }

    /** The cached pass's state of this context, or null. */
    Cached cachedPass() {
        return cached;
    }

    /**
     * In an incremental pass, the position rows of this context's tokens, made by {@code make} once per pass and set
     * of tokens: architectures that add positions at every recursion would otherwise look them up every time.
     */
    Var positionRows(java.util.function.Supplier<Var> make) {
        return cached == null ? make.get() : cached.pass().positionRows.computeIfAbsent(cached.position(),
                key -> make.get());
    }

    /**
     * Whether attention applies rotary position embeddings to its queries and keys.
     *
     * @since 0.4.0
     */
    public boolean rotary() {
        return rotary;
    }

    /** Where backward passes go. */
    public Tape tape() {
        return tape;
    }

    /** The token batch. */
    public TokenBatch batch() {
        return batch;
    }

    /** Drop probability for residual branches during training. */
    public double dropout() {
        return dropout;
    }

    /** The source of dropout masks. */
    public SplittableRandom random() {
        return random;
    }

    /**
     * The (B, T, T) additive mask of causal attention that ignores padding ({@link Attention#mask}), made on first
     * use and shared by every layer of this pass; callers must not modify it.
     *
     * @param like an array of the data type the mask should have
     */
    public INDArray causalMask(INDArray like) {
        if (causalMask == null || causalMask.dataType() != like.dataType()) {
            causalMask = Attention.mask(like, batch.batch(), batch.length(), true, batch.keep());
        }
        return causalMask;
    }

    /**
     * Whether this pass is recorded ({@link Recorder}).
     *
     * @since 0.5.0
     */
    public boolean recording() {
        return recording != null;
    }

    /**
     * This context with the block applications made through it recorded under {@code step}, e.g.
     * {@code recursion.2}; this context itself when the pass is not recorded. Unnamed applications are recorded as
     * {@code layer.<n>}, n counting every block application of the pass from 1.
     *
     * @since 0.5.0
     */
    public Context at(String step) {
        if (cached != null) {
            Context named = new Context(tape, batch, dropout, random, rotary,
                    recording == null ? null : recording.named(step), cached.named(step));
            named.causalMask = causalMask;
            return named;
        }
        return recording == null ? this : derived(batch, recording.named(step));
    }

    /**
     * {@code at(prefix + "." + index)}, without building the name when the pass is not recorded.
     *
     * @since 0.5.0
     */
    public Context at(String prefix, int index) {
        return !tracksSteps() ? this : at(prefix + "." + index);
    }

    /**
     * As {@link #at(String)}, for a step that computes only some tokens of this context's batch (halting, routing):
     * the recorder counts only those.
     *
     * @param active B*T flags of this context's batch, or null for every real token
     * @since 0.5.0
     */
    public Context at(String step, boolean[] active) {
        if (cached != null) {
            return at(step);
        }
        return recording == null ? this : derived(batch, recording.named(step).restricted(active));
    }

    /**
     * A context for a sub-batch gathered from this context's tokens (routed architectures pack the tokens of one
     * recursion into a dense batch): same tape, dropout and random source; block applications on it are recorded
     * in the positions of the pass's batch.
     *
     * @param packed the sub-batch
     * @param rows   for each of its rows, the row of this context's batch it holds, or a negative number for
     *               padding
     * @since 0.5.0
     */
    public Context gathered(TokenBatch packed, int[] rows) {
        if (cached != null) {
            if (recording != null) {
                throw new IllegalStateException("a pass cannot be both recorded and cached");
            }
            return new Context(tape, packed, dropout, random, rotary, null, cached.gathered(rows));
        }
        if (recording == null) {
            return new Context(tape, packed, dropout, random, rotary, (Recording) null);
        }
        if (rows.length != packed.ids().length) {
            throw new IllegalArgumentException(rows.length + " rows for a batch of " + packed.ids().length);
        }
        return derived(packed, recording.gathered(rows));
    }

    private Context derived(TokenBatch derivedBatch, Recording derivedRecording) {
        Context context = new Context(tape, derivedBatch, dropout, random, rotary, derivedRecording);
        if (derivedBatch == batch) {
            context.causalMask = causalMask;
        }
        return context;
    }

    /**
     * Reports a block application's output (B'*T', C) and its attention (B', H, T', T'); only when recording.
     * {@link Block#apply} calls it; an architecture with a block of its own (LoopFormer's modulated block) calls
     * it after each application, with the probabilities {@link SelfAttention#attend} returned.
     *
     * @since 0.8.0
     */
    public void record(Var hidden, INDArray attention) {
        if (recording == null) {
            throw new IllegalStateException("record() on a pass that is not recorded; check recording() first");
        }
        recording.record(hidden.value(), attention);
    }

    /** Reports the embedded tokens as the {@link Recorder#EMBED} step; only when recording. */
    void recordEmbedding(Var embedded) {
        recording.embedding(embedded.value());
    }

    /** How the steps of a recorded pass reach the recorder, in the pass's batch. */
    private static final class Recording {

        private final Pass pass;
        private final String step;
        private final boolean[] active;       // flags of the pass's rows, or null
        private final int[] rows;             // this context's rows to the pass's rows, or null for the same rows

        private Recording(Pass pass, String step, boolean[] active, int[] rows) {
            this.pass = pass;
            this.step = step;
            this.active = active;
            this.rows = rows;
        }

        static Recording root(Recorder recorder, TokenBatch batch) {
            return new Recording(new Pass(recorder, batch), null, null, null);
        }

        Recording named(String name) {
            return new Recording(pass, name, active, rows);
        }

        /** Restricted to the flagged rows of the current batch. */
        Recording restricted(boolean[] flags) {
            if (flags == null) {
                return this;
            }
            boolean[] root = new boolean[pass.size()];
            boolean[] real = pass.real();
            for (int i = 0; i < flags.length; i++) {
                int row = rows == null ? i : rows[i];
                if (flags[i] && row >= 0 && real[row] && (active == null || active[row])) {
                    root[row] = true;
                }
            }
            return new Recording(pass, step, root, rows);
        }

        /** For a sub-batch whose row i holds row {@code sub[i]} of the current batch. */
        Recording gathered(int[] sub) {
            int[] root = new int[sub.length];
            boolean[] computed = new boolean[pass.size()];
            for (int i = 0; i < sub.length; i++) {
                root[i] = sub[i] < 0 ? -1 : rows == null ? sub[i] : rows[sub[i]];
                if (root[i] >= 0 && (active == null || active[root[i]])) {
                    computed[root[i]] = true;
                }
            }
            return new Recording(pass, step, computed, root);
        }

        void embedding(INDArray hidden) {
            pass.recorder.step(new Recorder.Step(Recorder.EMBED, 0, hidden.toFloatMatrix(), null, pass.real()));
        }

        void record(INDArray hidden, INDArray attention) {
            int order = ++pass.applications;
            String name = pass.unique(step != null ? step : "layer." + order);
            boolean[] flags = active != null ? active.clone() : pass.real();
            float[][] states = pass.scatterRows(hidden.toFloatMatrix(), rows);
            float[][][][] maps = attention == null ? null : pass.scatterAttention(attention, rows);
            pass.recorder.step(new Recorder.Step(name, order, states, maps, flags));
        }
    }

    /** The recorded pass: its recorder, its batch, and the names used so far. */
    private static final class Pass {

        final Recorder recorder;
        final TokenBatch batch;
        final java.util.Map<String, Integer> names = new java.util.HashMap<>();
        int applications;

        Pass(Recorder recorder, TokenBatch batch) {
            this.recorder = recorder;
            this.batch = batch;
        }

        int size() {
            return batch.ids().length;
        }

        String unique(String name) {
            int uses = names.merge(name, 1, Integer::sum);
            return uses == 1 ? name : name + "#" + uses;
        }

        boolean[] real() {
            boolean[] real = new boolean[size()];
            for (int b = 0; b < batch.batch(); b++) {
                for (int t = 0; t < batch.lengths()[b]; t++) {
                    real[b * batch.length() + t] = true;
                }
            }
            return real;
        }

        float[][] scatterRows(float[][] values, int[] rows) {
            if (rows == null) {
                return values;
            }
            int width = values.length == 0 ? 0 : values[0].length;
            float[][] scattered = new float[size()][width];
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] >= 0) {
                    scattered[rows[i]] = values[i];
                }
            }
            return scattered;
        }

        /** (B', H, T', T') of the current batch to [B][H][T][T] of the pass's batch. */
        float[][][][] scatterAttention(INDArray attention, int[] rows) {
            long[] shape = attention.shape();
            int sub = (int) shape[0];
            int heads = (int) shape[1];
            int length = (int) shape[2];
            float[] flat = attention.dup('c').data().asFloat();
            float[][][][] maps = new float[batch.batch()][heads][batch.length()][batch.length()];
            for (int b = 0; b < sub; b++) {
                for (int i = 0; i < length; i++) {
                    int query = rows == null ? b * length + i : rows[b * length + i];
                    if (query < 0) {
                        continue;
                    }
                    for (int j = 0; j < length; j++) {
                        int key = rows == null ? b * length + j : rows[b * length + j];
                        if (key < 0 || key / batch.length() != query / batch.length()) {
                            continue;
                        }
                        for (int h = 0; h < heads; h++) {
                            maps[query / batch.length()][h][query % batch.length()][key % batch.length()] =
                                    flat[((b * heads + h) * length + i) * length + j];
                        }
                    }
                }
            }
            return maps;
        }
    }

    /**
     * In an incremental pass, this context with token i's block applications named {@code name.apply(i)}: the cache
     * slot of each token's attention. A recursion run one step at a time names each token's step by its own depth,
     * so that tokens at different depths share one batched call. Full passes name their steps with {@link #at}.
     *
     * @since 0.9.0
     */
    public Context atEach(IntFunction<String> name) {
        if (cached == null) {
            throw new IllegalStateException("atEach() names the slots of an incremental pass; this pass is not one");
        }
        String[] names = new String[batch.ids().length];
        for (int i = 0; i < names.length; i++) {
            names[i] = name.apply(i);
        }
        Context named = new Context(tape, batch, dropout, random, rotary, null, cached.namedEach(names));
        named.causalMask = causalMask;
        return named;
    }

    /** What one incremental pass shares across its contexts: the cache and the slot names used so far. */
    private static final class CachedPass {

        final KvCache cache;
        final java.util.Map<String, Integer> names = new java.util.HashMap<>();
        final java.util.Map<int[], Var> positionRows = new java.util.IdentityHashMap<>();
        int applications;

        CachedPass(KvCache cache) {
            this.cache = cache;
        }

        String unique(String name) {
            int uses = names.merge(name, 1, Integer::sum);
            return uses == 1 ? name : name + "#" + uses;
        }
    }

    /** A context's view of its cached pass: the step name, and row and position of each of its tokens. */
    record Cached(CachedPass pass, String step, int[] tokenRow, int[] position, String[] tokenSteps) {

        Cached named(String name) {
            return new Cached(pass, name, tokenRow, position, null);
        }

        Cached namedEach(String[] names) {
            return new Cached(pass, null, tokenRow, position, names);
        }

        /** For a sub-batch whose token i is token {@code rows[i]} of this context's batch (negative: padding). */
        Cached gathered(int[] rows) {
            int[] subRow = new int[rows.length];
            int[] subPosition = new int[rows.length];
            String[] subSteps = tokenSteps == null ? null : new String[rows.length];
            for (int i = 0; i < rows.length; i++) {
                subRow[i] = rows[i] < 0 ? -1 : tokenRow[rows[i]];
                subPosition[i] = rows[i] < 0 ? 0 : position[rows[i]];
                if (subSteps != null) {
                    subSteps[i] = rows[i] < 0 ? "padding" : tokenSteps[rows[i]];
                }
            }
            return new Cached(pass, step, subRow, subPosition, subSteps);
        }

        /**
         * The cache slot of each token for the attention application being made: the tokens' own names, or else the
         * step's name (made unique within the pass), or {@code layer.<n>}.
         */
        String[] nextSlots() {
            if (tokenSteps != null) {
                return tokenSteps;
            }
            int order = ++pass.applications;
            String name = pass.unique(step != null ? step : "layer." + order);
            String[] names = new String[tokenRow.length];
            Arrays.fill(names, name);
            return names;
        }

        KvCache cache() {
            return pass.cache;
        }
    }
}
