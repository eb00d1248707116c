package org.recursa.api.decode;

import java.util.List;

/**
 * What to decode: prompts (input tokens followed by the separator), a length limit and a stop token.
 *
 * @param prompts       token ids, one row per example
 * @param maxNewTokens  the most tokens to generate per prompt
 * @param stopToken     generation of a row ends after this token (which is not returned)
 */
public record DecodeRequest(List<int[]> prompts, int maxNewTokens, int stopToken) {

    /** Copies the list and checks the limits. */
    public DecodeRequest {
        prompts = List.copyOf(prompts);
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        for (int[] prompt : prompts) {
            if (prompt.length == 0) {
                throw new IllegalArgumentException("prompts must not be empty");
            }
        }
    }
}
