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

    /** What a tag key may be made of, as MLflow's tag keys: it becomes the search field {@code tags.KEY}. */
    public static final java.util.regex.Pattern TAG_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Copies the settings and checks the tag keys.
     *
     * @throws org.recursa.runtime.UsageException for a tag key that is empty or has other characters than
     *                                            {@link #TAG_KEY} allows
     */
    public RunRequest {
        settings = Map.copyOf(settings);
        java.util.Objects.requireNonNull(mode, "mode");
        tags = Map.copyOf(tags);
        checkTagKeys(tags);
    }

    /**
     * Checks that every tag key is what {@link #TAG_KEY} allows.
     *
     * @throws org.recursa.runtime.UsageException naming the first bad key and what a key may be made of
     */
    public static void checkTagKeys(Map<String, String> tags) {
        for (String key : new java.util.TreeSet<>(tags.keySet())) {
            if (!TAG_KEY.matcher(key).matches()) {
                throw new org.recursa.runtime.UsageException("--tag: invalid key '" + key + "'; a tag key is one "
                        + "or more letters, digits, '_', '.' or '-' ([A-Za-z0-9_.-]+), as in --tag sweep=lr-1e-3");
            }
        }
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
