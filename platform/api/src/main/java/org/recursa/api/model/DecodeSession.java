package org.recursa.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Incremental decoding over a model: the state of a batch of growing sequences (their keys and values when the
 * model caches them), so that each new token costs one token's work. Rows are numbered from 0 in the order
 * {@link #prefill} received them; {@link #select} renumbers them (beam search forks and drops rows this way).
 *
 * <p>Logits from a session equal the model's {@link Model#nextTokenLogits} on the same sequences, up to float
 * summation order. A session is not thread-safe and holds memory until {@link #close()}.
 *
 * @since 0.3.0
 */
@ProviderType
public interface DecodeSession extends AutoCloseable {

    /**
     * Starts the session's rows afresh from {@code prompts} (any earlier rows are dropped).
     *
     * @param prompts one non-empty row of token ids per sequence, each no longer than the model's maximum length
     * @return {@code [prompts.length][vocabularySize]} logits of the token after each prompt
     */
    float[][] prefill(int[][] prompts);

    /**
     * Appends {@code tokens[i]} to row {@code rows[i]} for every i, in one batched call.
     *
     * @param rows   distinct row numbers
     * @param tokens one token per listed row
     * @return {@code [rows.length][vocabularySize]} logits of the token after each extended row
     * @throws IllegalArgumentException if a row does not exist, is listed twice, or would grow beyond the
     *                                  maximum length
     */
    float[][] step(int[] rows, int[] tokens);

    /**
     * Renumbers the rows: new row i continues old row {@code sources[i]}. A source may be listed more than once
     * (its state is copied) or not at all (its state is dropped).
     */
    void select(int[] sources);

    /** The number of rows. */
    int rows();

    /** The number of tokens in {@code row} so far, prompt included. */
    int length(int row);

    /**
     * The recursions spent on the newest token of each row that the last {@link #prefill} or {@link #step} returned
     * logits for, in the order of that call's rows; empty for a model without {@link Capability#RECURRENT_DEPTH}.
     */
    default int[] lastDepths() {
        return new int[0];
    }

    /**
     * The keys and values the session holds now, as a number of stored values (one key and one value vector per
     * token and attention application it keeps); 0 for a session without a cache. Mixture-of-Recursions' caching
     * claims are about this number: recursion-wise caching keeps only routed tokens, KV sharing one recursion's.
     */
    default long cachedValues() {
        return 0;
    }

    /** Forward passes (batched calls into the model) made so far. */
    long forwardPasses();

    /**
     * Forward floating-point operations spent so far: multiply-adds counted twice, per token computed, from the
     * model's cost model ({@link ModelInfo#flopsPerToken()} for models that do not count their own).
     */
    long flops();

    /** Releases the session's memory; the session cannot be used afterwards. */
    @Override
    void close();
}
