package org.recursa.plugins.sample;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Sampler;
import org.recursa.api.decode.TokenByToken;
import org.recursa.api.model.Model;

/**
 * Ancestral sampling: at every step each unfinished row draws its next token from the model's distribution, reshaped
 * by a temperature and truncated to the top-k tokens and to the top-p nucleus ({@link Draw}); padding is never
 * drawn. The draws are seeded by the request: row r draws from the r-th stream split off
 * {@code new SplittableRandom(seed)}, one number per token, so the same request and seed give the same output, and a
 * row's output does not depend on the other rows of the request.
 *
 * <p>The log-probability reported for a row is the model's own, unmodified one (log-softmax of the logits at
 * temperature 1, over the whole vocabulary) of the tokens drawn, the stop token's included: it measures how likely
 * the model finds the output, comparable with greedy's and beam search's, whatever the settings that drew it.
 *
 * <p>Decoding runs on the model's decode session like greedy's: one prefill, then one step of the unfinished rows per
 * token. A row ends at the stop token, after {@code maxNewTokens} tokens, or when it fills the model's maximum
 * length.
 */
public final class SampleSampler implements Sampler {

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofDouble("temperature", 1.0, 1e-6, 1e3,
                    "divides the logits before the softmax: below 1 sharpens, above 1 flattens"),
            Setting.ofInt("top_k", 0, 0, 1_000_000, "draw among the k most likely tokens only (0: all)"),
            Setting.ofDouble("top_p", 1.0, 1e-6, 1.0,
                    "draw among the fewest most likely tokens whose probability reaches p only (nucleus; 1: all)"));

    /** Creates the sampler; it holds no state. */
    public SampleSampler() {
    }

    @Override
    public String id() {
        return "sample";
    }

    @Override
    public String description() {
        return "Seeded sampling with temperature, top-k and top-p (nucleus) truncation";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Decoded decode(Model model, DecodeRequest request, Config settings) {
        double temperature = settings.getDouble("temperature");
        int topK = settings.getInt("top_k");
        double topP = settings.getDouble("top_p");
        int pad = request.special().pad();
        SplittableRandom seeded = new SplittableRandom(request.seed());
        SplittableRandom[] streams = new SplittableRandom[request.prompts().size()];
        Arrays.setAll(streams, r -> seeded.split());
        return TokenByToken.decode(model, request,
                (row, logits) -> Draw.token(logits, row, pad, temperature, topK, topP, streams[row]));
    }
}
