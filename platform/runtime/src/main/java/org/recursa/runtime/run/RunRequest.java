package org.recursa.runtime.run;

import java.util.Map;
import org.recursa.api.task.Mode;

/**
 * What the user asked for on the command line.
 *
 * @param task         task id
 * @param architecture architecture id
 * @param sampler      sampler id used for evaluation
 * @param settings     {@code --set} pairs; keys may be prefixed {@code task.}, {@code arch.}, {@code sampler.},
 *                     {@code train.} or bare when only one component has the key
 * @param seed         the run's seed
 * @param mode         what the model learns to produce: the answer ({@code io}) or the reduction trace
 * @param tags         user tags recorded with the run
 * @param note         a free-text note, or null
 */
public record RunRequest(String task, String architecture, String sampler, Map<String, String> settings, long seed,
                         Mode mode, Map<String, String> tags, String note) {

    /** Copies the settings. */
    public RunRequest {
        settings = Map.copyOf(settings);
        java.util.Objects.requireNonNull(mode, "mode");
        tags = Map.copyOf(tags);
    }

    /** A request without tags or note. */
    public RunRequest(String task, String architecture, String sampler, Map<String, String> settings, long seed,
                      Mode mode) {
        this(task, architecture, sampler, settings, seed, mode, Map.of(), null);
    }

    /** A request in {@link Mode#IO io} mode. */
    public RunRequest(String task, String architecture, String sampler, Map<String, String> settings, long seed) {
        this(task, architecture, sampler, settings, seed, Mode.IO, Map.of(), null);
    }
}
