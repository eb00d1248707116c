package org.recursa.engine.nn;

import java.util.Arrays;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.ForwardOptions;

/**
 * A {@link DecoderModel}'s decode session over a {@link KvCache}: the prefill is one pass over the padded prompts
 * that fills the cache, and each step is one pass over the new tokens only, each at its own row's position.
 */
class CachedSession implements DecodeSession {

    final DecoderModel model;
    final ForwardOptions options;
    KvCache cache;
    int[] lengths = new int[0];
    long passes;
    long flops;
    private int[] lastDepths = new int[0];
    private boolean closed;

    CachedSession(DecoderModel model, ForwardOptions options) {
        this.model = model;
        this.options = options;
    }

    @Override
    public float[][] prefill(int[][] prompts) {
        ensureOpen();
        int maxLength = model.info().maxLength();
        for (int[] prompt : prompts) {
            if (prompt.length == 0 || prompt.length > maxLength) {
                throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens; the model accepts 1.."
                        + maxLength);
            }
        }
        if (cache != null) {
            cache.close();
        }
        cache = new KvCache(prompts.length, maxLength, model.width());
        // a routed model's tokens not sent into a recursion must stay unseen there (recursion-wise caching)
        cache.fallBackAcrossDepths(!model.info().has(org.recursa.api.model.Capability.ROUTING));
        lengths = Arrays.stream(prompts).mapToInt(p -> p.length).toArray();
        if (prompts.length == 0) {
            return new float[0][];
        }
        TokenBatch batch = TokenBatch.of(prompts, Vocabulary.PAD_ID);
        int[] tokenRow = new int[batch.ids().length];
        int[] position = new int[tokenRow.length];
        int[] last = new int[prompts.length];
        for (int b = 0; b < prompts.length; b++) {
            for (int t = 0; t < batch.length(); t++) {
                int i = b * batch.length() + t;
                tokenRow[i] = t < prompts[b].length ? b : -1;
                position[i] = t;
            }
            last[b] = b * batch.length() + prompts[b].length - 1;
            flops += prompts[b].length * model.flopsPerToken(options);
        }
        return pass(batch, tokenRow, position, last);
    }

    @Override
    public float[][] step(int[] rows, int[] next) {
        ensureOpen();
        if (rows.length != next.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + next.length + " tokens");
        }
        boolean[] seen = new boolean[lengths.length];
        int[] position = new int[rows.length];
        int[] last = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            if (row < 0 || row >= lengths.length || seen[row]) {
                throw new IllegalArgumentException("row " + row + " is not a row of this session or is listed twice"
                        + " (rows 0.." + (lengths.length - 1) + ")");
            }
            seen[row] = true;
            if (lengths[row] >= model.info().maxLength()) {
                throw new IllegalArgumentException("row " + row + " already holds " + lengths[row]
                        + " tokens, the model's maximum");
            }
            position[i] = lengths[row];
            last[i] = i;
        }
        if (rows.length == 0) {
            return new float[0][];
        }
        int[][] single = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            single[i] = new int[] {next[i]};
        }
        float[][] logits = pass(TokenBatch.of(single, Vocabulary.PAD_ID), rows.clone(), position, last);
        for (int row : rows) {
            lengths[row]++;
        }
        flops += rows.length * model.flopsPerToken(options);
        return logits;
    }

    private float[][] pass(TokenBatch batch, int[] tokenRow, int[] position, int[] last) {
        passes++;
        Context context = Context.cached(Tape.inference(), batch, model.rotary(), cache, tokenRow, position);
        DecoderModel.Next next = model.lastLogits(context, options, last);
        lastDepths = model instanceof RecurrentDecoderModel ? next.depths() : new int[0];
        return next.logits();
    }

    @Override
    public int[] lastDepths() {
        return lastDepths.clone();
    }

    @Override
    public void select(int[] sources) {
        ensureOpen();
        if (cache == null) {
            throw new IllegalStateException("select() before prefill()");
        }
        cache.select(sources);
        int[] selected = new int[sources.length];
        for (int i = 0; i < sources.length; i++) {
            selected[i] = lengths[sources[i]];
        }
        lengths = selected;
    }

    @Override
    public int rows() {
        return lengths.length;
    }

    @Override
    public int length(int row) {
        return lengths[row];
    }

    @Override
    public long cachedValues() {
        return cache == null ? 0 : cache.values();
    }

    @Override
    public long forwardPasses() {
        return passes;
    }

    @Override
    public long flops() {
        return flops;
    }

    @Override
    public void close() {
        closed = true;
        if (cache != null) {
            cache.close();
        }
        cache = null;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the decode session is closed");
        }
    }
}
