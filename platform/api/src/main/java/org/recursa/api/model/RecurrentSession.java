package org.recursa.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A decode session of a recurrent-depth model ({@link Capability#RECURRENT_DEPTH}) that also runs one recursion at a
 * time, so that a sampler decides how deep each position goes: early exit, continuous depth-wise batching, and
 * parallel (diffusion-style) decoding of several unfinished positions.
 *
 * <p>Besides its committed tokens, a row may hold <em>open</em> positions after them: {@link #open} appends them
 * (embedding and the layers before the recursion), {@link #advance} runs one more recursion on them (positions of
 * different rows and depths share one batched call), {@link #revise} replaces their tokens while keeping their latent
 * states, and {@link #commit} finishes the first ones (the layers after the recursion and the read-out), after which
 * they are ordinary tokens of the row. Open positions attend to the committed ones and to each other causally; a
 * position that stopped at a shallower depth lends later positions its latest keys and values (as the recurrent-depth
 * papers' adaptive decoding does). Driving every position to {@link #defaultDepth()} (or until the model halts it)
 * reproduces {@link DecodeSession#step}.
 *
 * @since 0.3.0
 */
@ProviderType
public interface RecurrentSession extends DecodeSession {

    /** The depth the model was trained for and decodes at by default. */
    int defaultDepth();

    /** The deepest recursion the model can run. */
    int maxDepth();

    /**
     * Appends open positions: {@code tokens[i]} after the committed and open positions of row {@code rows[i]}.
     *
     * @throws IllegalArgumentException if a row does not exist or would grow beyond the model's maximum length
     */
    void open(int[] rows, int[][] tokens);

    /**
     * One more recursion for every open position of the listed rows below {@link #maxDepth()}. A position the model
     * has halted ({@link Probe#halted()}) is advanced too, as a full pass would (an ACT state keeps evolving for the
     * positions after it while its output stays fixed); a sampler that honours the halt commits it instead.
     *
     * @return what each advanced position looks like now; valid until the next call on the session
     */
    Probe advance(int[] rows);

    /**
     * Replaces, for every listed row, the tokens of its first {@code tokens[i].length} open positions, in one batched
     * call. A position whose token changes forgets its cached keys and values and re-runs what comes before the
     * recursion; with a model that injects its input at every recursion it keeps its latent state and depth
     * (diffusion-style refinement), otherwise its recursion restarts from depth 0. Positions whose token is unchanged
     * are left as they are.
     */
    void revise(int[] rows, int[][] tokens);

    /**
     * Finishes the first {@code counts[i]} open positions of row {@code rows[i]}, which become committed tokens.
     *
     * @return per finished position, in row order then position order, the logits of the token after it
     */
    float[][] commit(int[] rows, int[] counts);

    /** Drops every open position of {@code row}. */
    void discard(int row);

    /** The number of open positions of {@code row}. */
    int open(int row);

    /** The recursions each open position of {@code row} has run, in position order. */
    int[] depths(int row);

    /**
     * The state of the positions one {@link #advance} moved.
     *
     * @since 0.3.0
     */
    @ProviderType
    interface Probe {

        /** The session row of each advanced position. */
        int[] rows();

        /** The index among its row's open positions (0 = the first open one) of each advanced position. */
        int[] slots();

        /** The recursions each position has run, this one included. */
        int[] depths();

        /** Each position's latent state after this recursion (the recurrent block's output, width values each). */
        double[][] latents();

        /**
         * The relative change of each position's latent state in this recursion, {@code |h_t - h_{t-1}| / |h_t|}
         * (Euclidean norms).
         */
        double[] latentChange();

        /** The model's own cumulative halting probability per position (ACT); NaN for models without one. */
        double[] halting();

        /** Whether the model itself stops each position here (ACT halted, or the router sent it no deeper). */
        boolean[] halted();

        /**
         * The logits each position would predict if it were committed now; computed on first call (it runs the layers
         * after the recursion, which costs as much as a commit).
         */
        float[][] logits();
    }
}
