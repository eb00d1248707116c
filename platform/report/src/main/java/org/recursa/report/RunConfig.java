package org.recursa.report;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What the report needs from a run's config (docs/runs.md): which run it is and what was trained.
 *
 * @param id         run id, the run directory's name
 * @param task       task id, e.g. {@code binary-successor}
 * @param arch       architecture id, e.g. {@code universal}
 * @param mode       {@code io} or {@code trace}; {@code io} for runs recorded before modes existed
 * @param seed       the run's seed
 * @param parameters model parameters, when recorded
 * @param parent     the run this one was derived from, or null
 * @param compressor the id of the compressor that made it ({@code recursa compress}), or null
 * @param compressorSettings that compressor's settings (with {@code uptrain.*}); empty without one
 */
public record RunConfig(String id, String task, String arch, String mode, long seed, OptionalLong parameters,
                        String parent, String compressor, Map<String, Object> compressorSettings) {

    /** Copies the settings. */
    public RunConfig {
        compressorSettings = compressorSettings == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(compressorSettings));
    }

    /** A run that was not derived from another. */
    public RunConfig(String id, String task, String arch, String mode, long seed, OptionalLong parameters) {
        this(id, task, arch, mode, seed, parameters, null, null, Map.of());
    }

    /** The compressor and its settings in one line, e.g. {@code int8 {min_size=0, uptrain.steps=0}}; or null. */
    public String compression() {
        return compressor == null ? null : compressor + " " + compressorSettings;
    }

    /** What the report needs of a run's recorded configuration. */
    static RunConfig of(org.recursa.runstore.RunConfig config) {
        Object parameters = config.model().get("parameters");
        org.recursa.runstore.Component compressor = config.compressor();
        return new RunConfig(config.id(), config.task().id(), config.architecture().id(), config.mode(), config.seed(),
                parameters instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty(),
                config.parent(), compressor == null ? null : compressor.id(),
                compressor == null ? Map.of() : compressor.settings());
    }
}
