package org.recursa.plugins.compressors;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.recursa.api.compress.ModelSnapshot;

/**
 * The first-party recursive architectures and the setting each names its depth by: the number of times a token
 * passes the shared weights in an ordinary (evaluation) pass. Each architecture's own schema says what the setting
 * means; the depth compressor only ever lowers it.
 */
enum RecursiveDepth {

    /** T: steps of the one shared block (the step-embedding table keeps its first T rows). */
    UNIVERSAL("universal", "recursions"),
    /** Loops over the B shared layers; the per-depth norms, biases and LoRAs of dropped loops go. */
    RELAXED("relaxed", "loops"),
    /** N_r: recursions of the shared middle; routers of dropped recursions go. */
    MOR("mor", "recursions"),
    /**
     * r of an inference pass. Training draws r around this mean, so it is also the mean of any uptraining; the
     * weights do not depend on it.
     */
    RECURRENT_DEPTH("recurrent-depth", "mean_recurrence"),
    /** L: loops of the uniform trajectory [1/L]xL; a configured schedule sets the depth by its length instead. */
    LOOPFORMER("loopformer", "loops");

    private final String architecture;
    private final String key;

    RecursiveDepth(String architecture, String key) {
        this.architecture = architecture;
        this.key = key;
    }

    /** The depth of {@code architecture}, or empty when it is not one of these recursive architectures. */
    static Optional<RecursiveDepth> of(String architecture) {
        return Arrays.stream(values()).filter(d -> d.architecture.equals(architecture)).findFirst();
    }

    /** The ids of the architectures, for messages. */
    static String architectures() {
        return String.join(", ", Arrays.stream(values()).map(d -> d.architecture).toList());
    }

    /** The setting that holds the depth. */
    String key() {
        return key;
    }

    /** The depth the model runs at now. */
    int current(ModelSnapshot model) {
        if (this == LOOPFORMER) {
            String schedule = ModelSettings.text(model, "schedule").trim();
            if (!schedule.isEmpty()) {
                return schedule.split(",").length;
            }
        }
        return ModelSettings.integer(model, key);
    }

    /**
     * The settings of the same architecture at {@code depth}. LoopFormer's schedule is cleared, so that the model
     * runs [1/depth]xdepth as the source does when asked for that depth.
     */
    Map<String, Object> settingsAt(ModelSnapshot model, int depth) {
        Map<String, Object> settings = new LinkedHashMap<>(model.settings());
        settings.put(key, depth);
        if (this == LOOPFORMER && settings.containsKey("schedule")) {
            settings.put("schedule", "");
        }
        return settings;
    }
}
