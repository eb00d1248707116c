package org.recursa.runstore;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code config.json}: everything needed to reproduce a run (docs/runs.md). Written once, when the run is
 * created; never changed afterwards.
 *
 * @param format       run-format version of the directory ({@link RunFormat#VERSION} for new runs; absent, read as
 *                     1, in runs written before the format was versioned)
 * @param id           the run id, the directory's name
 * @param startedAt    ISO-8601 instant
 * @param parent       the run this one was derived from (an evaluation or compression of it), or null
 * @param seed         the run's seed
 * @param mode         {@code io} or {@code trace}
 * @param tags         user tags
 * @param note         a free-text note, or null
 * @param task         the task and its settings
 * @param architecture the architecture and its settings
 * @param sampler      the sampler and its settings
 * @param train        the trainer's settings
 * @param model        model size: parameters, layers, FLOPs per token, vocabulary, max length
 * @param platform     API version, Java, OS, cores, BLAS library
 * @param provenance   what produced the run: Recursa build, bundles with their hashes, exported package versions,
 *                     engine settings; null in runs written before it was recorded
 * @param eval         the evaluation's settings ({@code eval.*}: the inference depths of a recurrent model); empty in
 *                     runs written before they existed
 * @param compressor   for a compressed run ({@code recursa compress}), the compressor and its settings (with the
 *                     uptraining asked for, {@code uptrain.steps} and {@code uptrain.lr}); null for every other run
 */
public record RunConfig(int format, String id, String startedAt, String parent, long seed, String mode,
                        Map<String, String> tags, String note, Component task, Component architecture,
                        Component sampler, Map<String, Object> train, Map<String, Object> model,
                        Map<String, Object> platform, Provenance provenance, Map<String, Object> eval,
                        Component compressor) {

    /** Copies the maps; missing ones read as empty, a missing mode as {@code io}. */
    public RunConfig {
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        train = copy(train);
        eval = copy(eval);
        model = copy(model);
        platform = copy(platform);
        mode = mode == null ? "io" : mode;
    }

    /** A configuration of a run that no compressor made. */
    public RunConfig(int format, String id, String startedAt, String parent, long seed, String mode,
                     Map<String, String> tags, String note, Component task, Component architecture,
                     Component sampler, Map<String, Object> train, Map<String, Object> model,
                     Map<String, Object> platform, Provenance provenance, Map<String, Object> eval) {
        this(format, id, startedAt, parent, seed, mode, tags, note, task, architecture, sampler, train, model,
                platform, provenance, eval, null);
    }

    /** A configuration without evaluation settings, as runs were recorded before they existed. */
    public RunConfig(int format, String id, String startedAt, String parent, long seed, String mode,
                     Map<String, String> tags, String note, Component task, Component architecture,
                     Component sampler, Map<String, Object> train, Map<String, Object> model,
                     Map<String, Object> platform, Provenance provenance) {
        this(format, id, startedAt, parent, seed, mode, tags, note, task, architecture, sampler, train, model,
                platform, provenance, null);
    }

    /** A configuration without provenance, as runs were recorded before it existed (and as tests build them). */
    public RunConfig(int format, String id, String startedAt, String parent, long seed, String mode,
                     Map<String, String> tags, String note, Component task, Component architecture,
                     Component sampler, Map<String, Object> train, Map<String, Object> model,
                     Map<String, Object> platform) {
        this(format, id, startedAt, parent, seed, mode, tags, note, task, architecture, sampler, train, model,
                platform, null);
    }

    /** The same configuration under another id and format, as the store assigns them at creation. */
    RunConfig assigned(String newId, int newFormat, Instant start, String newParent) {
        return new RunConfig(newFormat, newId, start.toString(), newParent, seed, mode, tags, note, task,
                architecture, sampler, train, model, platform, provenance, eval, compressor);
    }

    /** When the run started, in epoch milliseconds. */
    public long startMillis() {
        return Instant.parse(startedAt).toEpochMilli();
    }

    private static Map<String, Object> copy(Map<String, Object> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
