package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recursa.api.model.RecurrentSession;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.train.ForwardOptions;

/**
 * A cached session that also runs one recursion at a time through the model's {@link Recurrence}. Each open position
 * keeps its token, absolute position, depth and its row of the {@link StepState}; every call gathers the positions it
 * moves into one batch of single-token rows, each at its own position, and names each token's block applications by
 * its own depth, so that positions at different depths share the batched call.
 */
final class RecurrentCachedSession extends CachedSession implements RecurrentSession {

    private final RecurrentDecoderModel recurrent;
    private final Recurrence recurrence;
    private List<List<Open>> open = new ArrayList<>();

    /** An open position: not yet read out, its keys and values in the cache at the depths it has run. */
    private static final class Open {
        int token;
        final int position;
        int depth;
        StepState.Row state;

        Open(int token, int position, StepState.Row state) {
            this.token = token;
            this.position = position;
            this.state = state;
        }
    }

    RecurrentCachedSession(RecurrentDecoderModel model, ForwardOptions options, Recurrence recurrence) {
        super(model, options);
        this.recurrent = model;
        this.recurrence = recurrence;
    }

    @Override
    public float[][] prefill(int[][] prompts) {
        float[][] logits = super.prefill(prompts);
        open = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            open.add(new ArrayList<>());
        }
        return logits;
    }

    @Override
    public float[][] step(int[] rows, int[] tokens) {
        for (int row : rows) {
            if (row >= 0 && row < open.size() && !open.get(row).isEmpty()) {
                throw new IllegalStateException("row " + row + " has open positions; commit or discard them first");
            }
        }
        return super.step(rows, tokens);
    }

    @Override
    public void select(int[] sources) {
        super.select(sources);
        List<List<Open>> selected = new ArrayList<>();
        for (int source : sources) {
            List<Open> copy = new ArrayList<>();
            for (Open position : open.get(source)) {
                Open twin = new Open(position.token, position.position, position.state);
                twin.depth = position.depth;
                copy.add(twin);
            }
            selected.add(copy);
        }
        open = selected;
    }

    @Override
    public int defaultDepth() {
        return options.depthOr(recurrent.defaultDepth());
    }

    @Override
    public int maxDepth() {
        return recurrent.maxDepth();
    }

    @Override
    public void open(int[] rows, int[][] tokens) {
        ensureOpen();
        if (rows.length != tokens.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + tokens.length + " token lists");
        }
        List<int[]> at = new ArrayList<>();                         // (row, position, token)
        for (int i = 0; i < rows.length; i++) {
            checkRow(rows[i]);
            int next = lengths[rows[i]] + open.get(rows[i]).size();
            if (next + tokens[i].length > model.info().maxLength()) {
                throw new IllegalArgumentException("row " + rows[i] + " would hold " + (next + tokens[i].length)
                        + " tokens; the model accepts at most " + model.info().maxLength());
            }
            for (int token : tokens[i]) {
                at.add(new int[] {rows[i], next++, token});
            }
        }
        if (at.isEmpty()) {
            return;
        }
        List<StepState.Row> entered = enter(at);
        for (int i = 0; i < at.size(); i++) {
            open.get(at.get(i)[0]).add(new Open(at.get(i)[2], at.get(i)[1], entered.get(i)));
        }
    }

    /** The layers before the recursion for tokens at (row, position, token). */
    private List<StepState.Row> enter(List<int[]> at) {
        Context context = context(at);
        try (Scratch scratch = Scratch.open("decode")) {
            passes++;
            flops += at.size() * fixedFlops();
            return recurrence.enter(context, model.embed(context)).split();
        }
    }

    @Override
    public Probe advance(int[] rows) {
        ensureOpen();
        List<Open> moving = new ArrayList<>();
        List<Integer> movingRows = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int row : distinct(rows)) {
            List<Open> positions = open.get(row);
            for (int s = 0; s < positions.size(); s++) {
                Open position = positions.get(s);
                if (position.depth < maxDepth()) {
                    moving.add(position);
                    movingRows.add(row);
                    slots.add(s);
                }
            }
        }
        if (moving.isEmpty()) {
            return new RecursionProbe(new int[0], new int[0], new int[0], new double[0], List.of());
        }
        List<int[]> at = new ArrayList<>();
        List<StepState.Row> before = new ArrayList<>();
        int[] depth = new int[moving.size()];
        for (int i = 0; i < moving.size(); i++) {
            at.add(new int[] {movingRows.get(i), moving.get(i).position, moving.get(i).token});
            before.add(moving.get(i).state);
            depth[i] = moving.get(i).depth;
        }
        List<StepState.Row> after;
        try (Scratch scratch = Scratch.open("decode")) {
            passes++;
            flops += moving.size() * stepFlops();
            after = recurrence.step(context(at), StepState.join(before, model.dataType()), depth).split();
        }
        double[] change = new double[moving.size()];
        int[] depths = new int[moving.size()];
        for (int i = 0; i < moving.size(); i++) {
            change[i] = relativeChange(before.get(i).latent(), after.get(i).latent());
            moving.get(i).state = after.get(i);
            depths[i] = ++moving.get(i).depth;
        }
        return new RecursionProbe(movingRows.stream().mapToInt(Integer::intValue).toArray(),
                slots.stream().mapToInt(Integer::intValue).toArray(), depths, change, moving);
    }

    @Override
    public void revise(int[] rows, int[][] tokens) {
        ensureOpen();
        if (rows.length != tokens.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + tokens.length + " token lists");
        }
        List<int[]> at = new ArrayList<>();
        List<StepState.Row> old = new ArrayList<>();
        List<Open> changed = new ArrayList<>();
        for (int i : distinctIndices(rows)) {
            int row = rows[i];
            List<Open> positions = open.get(row);
            if (tokens[i].length > positions.size()) {
                throw new IllegalArgumentException(tokens[i].length + " tokens for " + positions.size()
                        + " open positions of row " + row);
            }
            for (int s = 0; s < tokens[i].length; s++) {
                Open position = positions.get(s);
                if (position.token == tokens[i][s]) {
                    continue;                               // unchanged: its state stays as it is
                }
                cache.clear(row, position.position);
                position.token = tokens[i][s];
                at.add(new int[] {row, position.position, tokens[i][s]});
                old.add(position.state);
                changed.add(position);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        Context context = context(at);
        List<StepState.Row> revised;
        try (Scratch scratch = Scratch.open("decode")) {
            passes++;
            flops += at.size() * fixedFlops();
            revised = recurrence.revise(context, StepState.join(old, model.dataType()), model.embed(context)).split();
        }
        for (int i = 0; i < changed.size(); i++) {
            changed.get(i).state = revised.get(i);
            if (!recurrence.injectsInput()) {
                changed.get(i).depth = 0;
            }
        }
    }

    @Override
    public float[][] commit(int[] rows, int[] counts) {
        ensureOpen();
        if (rows.length != counts.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + counts.length + " counts");
        }
        List<Open> finishing = new ArrayList<>();
        List<int[]> at = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            checkRow(rows[i]);
            if (counts[i] < 0 || counts[i] > open.get(rows[i]).size()) {
                throw new IllegalArgumentException("cannot commit " + counts[i] + " of row " + rows[i] + "'s "
                        + open.get(rows[i]).size() + " open positions");
            }
            for (Open position : open.get(rows[i]).subList(0, counts[i])) {
                finishing.add(position);
                at.add(new int[] {rows[i], position.position, position.token});
            }
        }
        float[][] logits = readOut(at, finishing);
        for (int i = 0; i < rows.length; i++) {
            open.get(rows[i]).subList(0, counts[i]).clear();
            lengths[rows[i]] += counts[i];
        }
        return logits;
    }

    /** The layers after the recursion and the read-out, for the positions at (row, position, token). */
    private float[][] readOut(List<int[]> at, List<Open> positions) {
        if (at.isEmpty()) {
            return new float[0][];
        }
        List<StepState.Row> states = new ArrayList<>();
        for (Open position : positions) {
            states.add(position.state);
        }
        try (Scratch scratch = Scratch.open("decode")) {
            passes++;
            flops += at.size() * fixedFlops();
            Var hidden = recurrence.exit(context(at), StepState.join(states, model.dataType()));
            return model.logitsOf(hidden);
        }
    }

    @Override
    public void discard(int row) {
        ensureOpen();
        checkRow(row);
        for (Open position : open.get(row)) {
            cache.clear(row, position.position);
        }
        open.get(row).clear();
    }

    @Override
    public int open(int row) {
        checkRow(row);
        return open.get(row).size();
    }

    @Override
    public int[] depths(int row) {
        checkRow(row);
        return open.get(row).stream().mapToInt(p -> p.depth).toArray();
    }

    /** An incremental context of single-token rows at (row, position, token). */
    private Context context(List<int[]> at) {
        int[][] single = new int[at.size()][];
        int[] tokenRow = new int[at.size()];
        int[] position = new int[at.size()];
        for (int i = 0; i < at.size(); i++) {
            tokenRow[i] = at.get(i)[0];
            position[i] = at.get(i)[1];
            single[i] = new int[] {at.get(i)[2]};
        }
        return Context.cached(Tape.inference(), TokenBatch.of(single, Vocabulary.PAD_ID), model.rotary(), cache,
                tokenRow, position);
    }

    /** |after - before| / |after|. */
    private static double relativeChange(double[] before, double[] after) {
        double difference = 0;
        double norm = 0;
        for (int c = 0; c < after.length; c++) {
            difference += (after[c] - before[c]) * (after[c] - before[c]);
            norm += after[c] * after[c];
        }
        return norm > 0 ? Math.sqrt(difference / norm) : Math.sqrt(difference);
    }

    private long stepFlops() {
        return recurrent.flopsPerToken(2) - recurrent.flopsPerToken(1);
    }

    private long fixedFlops() {
        return recurrent.flopsPerToken(0);
    }

    private void checkRow(int row) {
        if (row < 0 || row >= open.size()) {
            throw new IllegalArgumentException("row " + row + " is not a row of this session (rows 0.."
                    + (open.size() - 1) + ")");
        }
    }

    /** The indices of {@code rows}, each row once; a row listed twice is refused. */
    private int[] distinctIndices(int[] rows) {
        boolean[] seen = new boolean[open.size()];
        for (int i = 0; i < rows.length; i++) {
            checkRow(rows[i]);
            if (seen[rows[i]]) {
                throw new IllegalArgumentException("row " + rows[i] + " is listed twice");
            }
            seen[rows[i]] = true;
        }
        return java.util.stream.IntStream.range(0, rows.length).toArray();
    }

    private int[] distinct(int[] rows) {
        boolean[] seen = new boolean[open.size()];
        int[] kept = new int[rows.length];
        int n = 0;
        for (int row : rows) {
            checkRow(row);
            if (!seen[row]) {
                seen[row] = true;
                kept[n++] = row;
            }
        }
        return Arrays.copyOf(kept, n);
    }

    /** What an advance left behind; logits on demand, from the positions' states at that moment. */
    private final class RecursionProbe implements Probe {

        private final int[] rows;
        private final int[] slots;
        private final int[] depths;
        private final double[] change;
        private final List<StepState.Row> states = new ArrayList<>();
        private final List<int[]> at = new ArrayList<>();
        private float[][] logits;

        RecursionProbe(int[] rows, int[] slots, int[] depths, double[] change, List<Open> moved) {
            this.rows = rows;
            this.slots = slots;
            this.depths = depths;
            this.change = change;
            for (int i = 0; i < moved.size(); i++) {
                states.add(moved.get(i).state);
                at.add(new int[] {rows[i], moved.get(i).position, moved.get(i).token});
            }
        }

        @Override
        public int[] rows() {
            return rows.clone();
        }

        @Override
        public int[] slots() {
            return slots.clone();
        }

        @Override
        public int[] depths() {
            return depths.clone();
        }

        @Override
        public double[][] latents() {
            double[][] latents = new double[states.size()][];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = states.get(i).latent().clone();
            }
            return latents;
        }

        @Override
        public double[] latentChange() {
            return change.clone();
        }

        @Override
        public double[] halting() {
            return states.stream().mapToDouble(StepState.Row::halting).toArray();
        }

        @Override
        public boolean[] halted() {
            boolean[] halted = new boolean[states.size()];
            for (int i = 0; i < halted.length; i++) {
                halted[i] = states.get(i).halted();
            }
            return halted;
        }

        @Override
        public float[][] logits() {
            if (logits == null) {
                List<Open> positions = new ArrayList<>();
                for (int i = 0; i < states.size(); i++) {
                    Open probe = new Open(at.get(i)[2], at.get(i)[1], states.get(i));
                    positions.add(probe);
                }
                logits = readOut(at, positions);
            }
            return logits;
        }
    }
}
