package org.recursa.api.compress;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;
import org.recursa.api.model.Model;

/**
 * What the host gives a compressor besides the model: examples of the parent run's task to calibrate on, the
 * uptraining the host will run afterwards, and the installed architectures to build the compressed model's shape.
 *
 * @since 0.2.0
 */
@ProviderType
public interface CompressionContext {

    /**
     * Token sequences (prompt and answer) of the parent run's training set, encoded as the model reads them; inputs
     * of no evaluation split are among them.
     */
    List<int[]> calibration();

    /** The uptraining the host runs on the returned model; {@link Uptraining#NONE} when none was asked. */
    Uptraining uptraining();

    /**
     * A freshly initialised model of an installed architecture, for the parent's vocabulary and length: its
     * {@link Model#weights()} name every parameter a compression into that architecture must return, with its shape.
     *
     * @param architecture an installed architecture id
     * @param settings     settings of that architecture; those not given take their defaults
     * @throws org.recursa.api.ConfigException when the architecture is not installed or rejects the settings
     */
    Model build(String architecture, Map<String, Object> settings);
}
