package org.recursa.runstore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An extension a run used, as recorded in {@code config.json}: enough to find the same code again.
 *
 * @param id       extension id, e.g. {@code universal}
 * @param bundle   the bundle that supplied it
 * @param version  that bundle's version
 * @param settings resolved settings, in schema order
 */
public record Component(String id, String bundle, String version, Map<String, Object> settings) {

    /** Copies the settings; a missing map reads as empty. */
    public Component {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
