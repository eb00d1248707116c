package org.recursa.api.compress;

import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Config;
import org.recursa.api.Extension;
import org.recursa.api.model.WeightSet;

/** A transformation that makes a model's weights smaller: tying, low-rank relaxation, quantization, pruning. */
@ConsumerType
public interface Compressor extends Extension {

    /**
     * Compresses weights. Must not modify {@code weights}.
     *
     * @param weights  the model's weights
     * @param settings resolved settings from {@link #schema()}
     * @return new weights and a report comparing before and after
     */
    Compression compress(WeightSet weights, Config settings);
}
