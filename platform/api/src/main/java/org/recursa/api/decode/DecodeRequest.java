package org.recursa.api.decode;

import java.util.List;
import java.util.Objects;

/**
 * What to decode: prompts (input tokens followed by the separator), a length limit, a stop token, the seed of any
 * random choice and the vocabulary's special tokens.
 *
 * @param prompts       token ids, one row per example
 * @param maxNewTokens  the most tokens to generate per prompt
 * @param stopToken     generation of a row ends after this token (which is not returned)
 * @param seed          the seed of a sampler's random choices: equal requests with equal seeds decode equally
 *                      (since 0.2.0)
 * @param special       the vocabulary's special token ids (since 0.2.0)
 */
public record DecodeRequest(List<int[]> prompts, int maxNewTokens, int stopToken, long seed, SpecialTokens special) {

    /** Copies the list and checks the limits. */
    public DecodeRequest {
        prompts = List.copyOf(prompts);
        Objects.requireNonNull(special, "special");
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        for (int[] prompt : prompts) {
            if (prompt.length == 0) {
                throw new IllegalArgumentException("prompts must not be empty");
            }
        }
    }

    /** A request with seed 0 and the {@link SpecialTokens#STANDARD standard} special tokens. */
    public DecodeRequest(List<int[]> prompts, int maxNewTokens, int stopToken) {
        this(prompts, maxNewTokens, stopToken, 0, SpecialTokens.STANDARD);
    }
}
