package org.recursa.api.compress;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Config;
import org.recursa.api.Extension;

/**
 * A transformation that makes a trained model smaller or cheaper: tying layers into a recursive model, low-rank
 * relaxation, fewer recursions, quantisation, pruning (docs/compression.md). {@code recursa compress RUN --compressor
 * ID} calls it on a run's checkpoint, runs the uptraining the user asked for, stores the result as a run derived from
 * the parent and evaluates it with the parent's sampler.
 */
@ConsumerType
public interface Compressor extends Extension {

    /**
     * Why this compressor cannot compress {@code source} with {@code settings} (an architecture it does not apply to,
     * a setting too large for the model), or empty when it can. The host asks before it writes anything, and reports
     * the reason in one line. The default accepts every model.
     *
     * @param source   the trained model
     * @param settings resolved settings from {@link #schema()}
     * @param budget   the uptraining asked for
     * @since 0.2.0
     */
    default Optional<String> unsupportedReason(ModelSnapshot source, Config settings,
                                               Uptraining budget) {
        return Optional.empty();
    }

    /**
     * Compresses a trained model. Must not modify {@code source}.
     *
     * @param source   the trained model
     * @param settings resolved settings from {@link #schema()}
     * @param context  calibration examples, the uptraining budget, and the installed architectures
     * @return the compressed model and a report comparing it with {@code source}
     * @throws org.recursa.api.ConfigException for settings that do not fit this model
     * @since 0.2.0 (0.1.0 took and returned weights only)
     */
    Compression compress(ModelSnapshot source, Config settings, CompressionContext context);
}
