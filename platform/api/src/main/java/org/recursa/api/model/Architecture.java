package org.recursa.api.model;

import java.util.OptionalLong;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Config;
import org.recursa.api.Extension;

/**
 * A model family, such as the vanilla transformer or the Universal Transformer. Its {@link #schema()}
 * lists the hyperparameters (width, heads, recursions, ...) with their defaults.
 *
 * <p>A plugin does not implement this interface directly but the training SPI's
 * {@code org.recursa.engine.train.TrainableArchitecture}, whose {@code build} returns a trainable model
 * (parameters and a differentiable forward pass): the host refuses, when the plugin starts, an architecture that
 * does not. This interface is what the rest of the platform (samplers, reports, the catalog) needs to know of one.
 */
@ConsumerType
public interface Architecture extends Extension {

    /**
     * Builds a freshly initialised model.
     *
     * @param spec   vocabulary size, maximum length and seed, from the task
     * @param config resolved hyperparameters from {@link #schema()}
     * @return a new model; two calls with equal arguments give models with equal weights. A
     *         {@code TrainableArchitecture} narrows this to {@code org.recursa.engine.train.TrainableModel}.
     */
    Model build(ModelSpec spec, Config config);

    /**
     * The number of parameters {@link #build} would give, without building: the host sizes a run before
     * allocating it and refuses one that cannot fit in memory. When present it must equal the built model's
     * {@link ModelInfo#parameters()}.
     *
     * @param spec   as for {@link #build}
     * @param config as for {@link #build}
     * @return the exact count, or empty (the default) when the architecture does not say; then the run is not
     *         sized beforehand
     * @throws org.recursa.api.ConfigException for settings that {@link #build} would reject
     * @since 0.2.0
     */
    default OptionalLong parameterCount(ModelSpec spec, Config config) {
        return OptionalLong.empty();
    }

    /**
     * How many values one training pass keeps per token (at the longest sequence, at full depth) for the
     * backward pass: layer outputs, attention scores, hidden layers. An estimate, used with
     * {@link #parameterCount} to size a run; batch size times maximum length times this is the activation memory.
     *
     * @param spec   as for {@link #build}
     * @param config as for {@link #build}
     * @return the estimate, or empty (the default) when the architecture does not say
     * @throws org.recursa.api.ConfigException for settings that {@link #build} would reject
     * @since 0.2.0
     */
    default OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        return OptionalLong.empty();
    }
}
