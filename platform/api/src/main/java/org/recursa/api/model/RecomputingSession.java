package org.recursa.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The session of a model that keeps no cache: every step re-runs {@link Model#nextTokenLogits} on the whole
 * prefixes. Correct for every model, and the reference a caching session is tested against.
 */
final class RecomputingSession implements DecodeSession {

    private final Model model;
    private List<int[]> rows = new ArrayList<>();
    private long passes;
    private long tokens;
    private boolean closed;

    RecomputingSession(Model model) {
        this.model = model;
    }

    @Override
    public float[][] prefill(int[][] prompts) {
        open();
        List<int[]> fresh = new ArrayList<>(prompts.length);
        for (int[] prompt : prompts) {
            checkLength(prompt.length);
            fresh.add(prompt.clone());
        }
        rows = fresh;
        return call(rows.toArray(new int[0][]));
    }

    @Override
    public float[][] step(int[] selected, int[] next) {
        open();
        if (selected.length != next.length) {
            throw new IllegalArgumentException(selected.length + " rows but " + next.length + " tokens");
        }
        boolean[] seen = new boolean[rows.size()];
        int[][] extended = new int[selected.length][];
        for (int i = 0; i < selected.length; i++) {
            int row = selected[i];
            if (row < 0 || row >= rows.size() || seen[row]) {
                throw new IllegalArgumentException("row " + row + " is not a row of this session or is listed twice"
                        + " (rows 0.." + (rows.size() - 1) + ")");
            }
            seen[row] = true;
            checkLength(rows.get(row).length + 1);
            extended[i] = Arrays.copyOf(rows.get(row), rows.get(row).length + 1);
            extended[i][extended[i].length - 1] = next[i];
        }
        for (int i = 0; i < selected.length; i++) {
            rows.set(selected[i], extended[i]);
        }
        return call(extended);
    }

    @Override
    public void select(int[] sources) {
        open();
        List<int[]> selected = new ArrayList<>(sources.length);
        for (int source : sources) {
            if (source < 0 || source >= rows.size()) {
                throw new IllegalArgumentException("row " + source + " is not a row of this session");
            }
            selected.add(rows.get(source).clone());
        }
        rows = selected;
    }

    @Override
    public int rows() {
        return rows.size();
    }

    @Override
    public int length(int row) {
        return rows.get(row).length;
    }

    @Override
    public long forwardPasses() {
        return passes;
    }

    @Override
    public long flops() {
        return tokens * model.info().flopsPerToken();
    }

    @Override
    public void close() {
        closed = true;
        rows = List.of();
    }

    private float[][] call(int[][] sequences) {
        if (sequences.length == 0) {
            return new float[0][];
        }
        passes++;
        for (int[] sequence : sequences) {
            tokens += sequence.length;
        }
        return model.nextTokenLogits(sequences);
    }

    private void checkLength(int length) {
        if (length == 0 || length > model.info().maxLength()) {
            throw new IllegalArgumentException("a row of " + length + " tokens; the model accepts 1.."
                    + model.info().maxLength());
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the decode session is closed");
        }
    }
}
