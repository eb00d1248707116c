package org.recursa.plugins.greedy;

import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Logits;
import org.recursa.api.decode.Sampler;
import org.recursa.api.decode.TokenByToken;
import org.recursa.api.model.Model;

/**
 * Greedy decoding: at every step each unfinished row gets its most likely next token. The prompts go to the model's
 * decode session once; after that each step extends only the unfinished rows, all in one call, so the number of
 * calls is one plus the longest row's length, not the sum. A row ends at the stop token, after
 * {@code maxNewTokens} tokens, or when it fills the model's maximum length.
 */
public final class GreedySampler implements Sampler {

    /** Creates the sampler; it holds no state. */
    public GreedySampler() {
    }

    @Override
    public String id() {
        return "greedy";
    }

    @Override
    public String description() {
        return "Argmax decoding, one token at a time";
    }

    @Override
    public Decoded decode(Model model, DecodeRequest request, Config settings) {
        int pad = request.special().pad();
        return TokenByToken.decode(model, request, (row, logits) -> Logits.argmax(logits, row, pad));
    }
}
