package org.recursa.api.model;

import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Config;
import org.recursa.api.Extension;

/**
 * A model family, such as the vanilla transformer or the Universal Transformer. Its {@link #schema()}
 * lists the hyperparameters (width, heads, recursions, ...) with their defaults.
 */
@ConsumerType
public interface Architecture extends Extension {

    /**
     * Builds a freshly initialised model.
     *
     * @param spec   vocabulary size, maximum length and seed, from the task
     * @param config resolved hyperparameters from {@link #schema()}
     * @return a new model; two calls with equal arguments give models with equal weights
     */
    Model build(ModelSpec spec, Config config);
}
