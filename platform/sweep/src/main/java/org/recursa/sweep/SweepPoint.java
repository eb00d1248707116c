package org.recursa.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a sweep: a configuration and a seed.
 *
 * @param key      the point's name within its sweep, {@code p001}, {@code p002}, ...; a file name and a tag value
 * @param config   its configuration's {@link Configuration#label() label}
 * @param arch     architecture id
 * @param seed     the run seed
 * @param values   swept key to value ({@link Configuration#values()})
 * @param settings every setting of the run ({@link Configuration#settings()})
 */
public record SweepPoint(String key, String config, String arch, long seed, Map<String, String> values,
                         Map<String, String> settings) {

    /** The run tag that names the sweep; runs are found with {@code tags.sweep = '<id>'}. */
    public static final String SWEEP_TAG = "sweep";
    /** The run tag that names the point. */
    public static final String POINT_TAG = "sweep.point";
    /** The run tag that names the configuration (the point without its seed). */
    public static final String CONFIG_TAG = "sweep.config";

    /** Copies the maps, keeping their order. */
    public SweepPoint {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * The tags its run records: the sweep, the point, the configuration, and {@code sweep.<key>} for each swept key
     * (searchable as {@code tags.sweep.arch.d_model = '64'}).
     */
    public Map<String, String> tags(String sweepId) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SWEEP_TAG, sweepId);
        tags.put(POINT_TAG, key);
        tags.put(CONFIG_TAG, config);
        values.forEach((k, v) -> tags.put(SWEEP_TAG + "." + k, v));
        return tags;
    }

    /** {@code p003 arch=mor arch.d_model=64 seed=2}, for progress lines. */
    public String describe() {
        return key + " " + (config.equals(Configuration.BASE) ? "" : config + " ") + "seed=" + seed;
    }
}
