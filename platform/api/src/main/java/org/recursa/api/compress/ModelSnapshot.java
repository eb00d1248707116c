package org.recursa.api.compress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.WeightSet;

/**
 * A trained model as a checkpoint holds it: which architecture built it, with which settings, and its weights.
 *
 * @param architecture the architecture id
 * @param settings     the architecture's resolved settings, as the run recorded them
 * @param info         size and cost of the model ({@link ModelInfo})
 * @param weights      every parameter by name
 * @since 0.2.0
 */
public record ModelSnapshot(String architecture, Map<String, Object> settings, ModelInfo info, WeightSet weights) {

    /** Checks for nulls and copies the settings, keeping their order. */
    public ModelSnapshot {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(weights, "weights");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
