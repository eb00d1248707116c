package org.recursa.runtime.run;

import java.util.Map;

/**
 * What the user asked for on the command line.
 *
 * @param task         task id
 * @param architecture architecture id
 * @param sampler      sampler id used for evaluation
 * @param settings     {@code --set} pairs; keys may be prefixed {@code task.}, {@code arch.}, {@code sampler.},
 *                     {@code train.} or bare when only one component has the key
 * @param seed         the run's seed
 */
public record RunRequest(String task, String architecture, String sampler, Map<String, String> settings, long seed) {

    /** Copies the settings. */
    public RunRequest {
        settings = Map.copyOf(settings);
    }
}
