package ${package};

import java.util.Arrays;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Logits;
import org.recursa.api.decode.Sampler;
import org.recursa.api.decode.TokenByToken;
import org.recursa.api.model.Model;

/**
 * Min-p sampling (Nguyen et al., 2024): at every step a row draws its next token among those whose probability is
 * at least {@code min_p} times the most likely token's, after the temperature. The cut-off scales with the model's
 * confidence: a sure model keeps one token, an unsure one keeps many.
 *
 * <p>The draws are seeded by the request: row r draws from the r-th stream split off {@code seed}, so the same request
 * gives the same outputs, and a row's output does not depend on the other rows. {@link TokenByToken} does the rest
 * as the host expects: one prefill, one step of the unfinished rows per token, the stop token and the length limits,
 * and the model's own log-probability of each output.
 */
public final class ${className}Sampler implements Sampler {

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofDouble("min_p", 0.1, 0.0, 1.0,
                    "keep the tokens at least this likely relative to the top token (1: greedy, 0: plain sampling)"),
            Setting.ofDouble("temperature", 1.0, 1e-3, 100.0,
                    "divides the logits before the softmax: below 1 sharpens, above 1 flattens"));

    /** Creates the sampler; it holds no state. */
    public ${className}Sampler() {
    }

    @Override
    public String id() {
        return "${id}";
    }

    @Override
    public String description() {
        return "Min-p sampling: draw among the tokens at least min_p as likely as the top one";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Decoded decode(Model model, DecodeRequest request, Config settings) {
        double minP = settings.getDouble("min_p");
        double temperature = settings.getDouble("temperature");
        int pad = request.special().pad();
        SplittableRandom seeded = new SplittableRandom(request.seed());
        SplittableRandom[] streams = new SplittableRandom[request.prompts().size()];
        Arrays.setAll(streams, row -> seeded.split());
        return TokenByToken.decode(model, request,
                (row, logits) -> draw(logits, row, pad, minP, temperature, streams[row]));
    }

    /** One token: never padding; the top token when rounding leaves nothing else. */
    static int draw(float[] logits, int row, int pad, double minP, double temperature, SplittableRandom random) {
        int top = Logits.argmax(logits, row, pad);      // also refuses NaN logits, naming the row
        // p_v / p_top = exp((l_v - l_top) / temperature): the softmax's normaliser cancels out.
        double[] weights = new double[logits.length];
        double total = 0;
        for (int v = 0; v < logits.length; v++) {
            double relative = Math.exp((logits[v] - logits[top]) / temperature);
            if (v != pad && relative >= minP) {
                weights[v] = relative;
                total += relative;
            }
        }
        double u = random.nextDouble() * total;
        for (int v = 0; v < weights.length; v++) {
            u -= weights[v];
            if (weights[v] > 0 && u < 0) {
                return v;
            }
        }
        return top;
    }
}
