package org.recursa.api.decode;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Config;
import org.recursa.api.Extension;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;

/** A decoding strategy, from greedy argmax to adaptive-depth and parallel recurrent-depth decoding. */
@ConsumerType
public interface Sampler extends Extension {

    /**
     * Decodes every prompt of {@code request} with {@code model}.
     *
     * @param model    the model to query
     * @param request  prompts and limits
     * @param settings resolved settings from {@link #schema()}
     */
    Decoded decode(Model model, DecodeRequest request, Config settings);

    /**
     * Why this sampler cannot drive a model, if it cannot (e.g. adaptive depth needs a model that halts).
     *
     * @param model the model's description
     * @return a one-line reason, or empty if the sampler applies
     */
    default Optional<String> unsupportedReason(ModelInfo model) {
        return Optional.empty();
    }

    /**
     * Why this sampler cannot drive a model with these settings, if it cannot (e.g. exiting on the model's own halting
     * probability needs a model that computes one). The host asks this before decoding; by default it is
     * {@link #unsupportedReason(ModelInfo)}.
     *
     * @param model    the model's description
     * @param settings resolved settings from {@link #schema()}
     * @return a one-line reason, or empty if the sampler applies
     * @since 0.2.0
     */
    default Optional<String> unsupportedReason(ModelInfo model, Config settings) {
        return unsupportedReason(model);
    }
}
