package org.recursa.api.model;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A built model as samplers and checkers see it: next-token logits for a batch of token sequences. The
 * training interface lives in the engine; this one is all a decoder needs.
 *
 * <p>A model is not required to be thread-safe: use one thread per model instance.
 */
@ConsumerType
public interface Model {

    /** What the model is, how big, and what a token costs. */
    ModelInfo info();

    /**
     * Logits of the next token after each sequence. Sequences may have different lengths; each must be
     * non-empty and no longer than {@link ModelInfo#maxLength()}.
     *
     * @param sequences token ids, one row per sequence
     * @return {@code [sequences.length][vocabularySize]} unnormalised log-probabilities
     */
    float[][] nextTokenLogits(int[][] sequences);

    /**
     * A session that decodes incrementally. By default it re-runs {@link #nextTokenLogits} on whole prefixes; a
     * model with a key/value cache returns one that computes only the new tokens and says so with
     * {@link Capability#KV_CACHE}.
     *
     * @since 0.3.0
     */
    default DecodeSession openSession() {
        return new RecomputingSession(this);
    }

    /** The model's weights as named tensors, e.g. for a {@link org.recursa.api.compress.Compressor}. */
    WeightSet weights();
}
