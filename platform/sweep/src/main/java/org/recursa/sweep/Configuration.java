package org.recursa.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One combination of the swept values (a grid point with one random draw), without the seed: what results are
 * grouped by across seeds.
 *
 * @param label    the swept values as {@code key=value} separated by spaces, e.g. {@code arch=mor arch.d_model=64};
 *                 {@link #BASE} when nothing but the seed is swept
 * @param arch     the architecture id
 * @param values   swept key to its value, in the order of the keys
 * @param settings every setting the runs get: the fixed ones, then the swept ones ({@code arch} is not a setting)
 */
public record Configuration(String label, String arch, Map<String, String> values, Map<String, String> settings) {

    /** The label of the one configuration of a sweep over seeds alone. */
    public static final String BASE = "base";

    /** Copies the maps, keeping their order. */
    public Configuration {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
