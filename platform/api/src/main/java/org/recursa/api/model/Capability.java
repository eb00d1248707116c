package org.recursa.api.model;

/**
 * What a model can do beyond next-token logits, so that a sampler can say in one line why it cannot drive a model
 * ({@link org.recursa.api.decode.Sampler#unsupportedReason}).
 *
 * @since 0.3.0
 */
public enum Capability {
    /** Its {@link DecodeSession} keeps keys and values: a step costs one token's work, not a whole prefix. */
    KV_CACHE,
    /** It applies shared weights a variable number of times: decoding at another depth means something. */
    RECURRENT_DEPTH,
    /**
     * Its sessions are {@link RecurrentSession}s: a sampler runs one recursion at a time and decides each position's
     * depth.
     */
    STEPWISE,
    /** It computes its own per-position halting probability (Adaptive Computation Time). */
    HALTING,
    /** A router decides per token how many recursions it takes (Mixture-of-Recursions). */
    ROUTING,
    /** Deeper recursions reuse the keys and values of the first (recursive KV sharing). */
    KV_SHARING
}
