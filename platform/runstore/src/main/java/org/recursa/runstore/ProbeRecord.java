package org.recursa.runstore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code probes/<split>.json}: linear probes of a finished run's hidden states on one split (docs/probes.md),
 * written by {@code recursa probe} after the run ended; probing the same split again replaces it. Not journaled and
 * not indexed: it is an analysis of the run, not part of its outcome.
 *
 * @param format        run-format version
 * @param createdAt     ISO-8601 instant
 * @param split         the probed split
 * @param examples      examples regenerated and run through the model
 * @param trainExamples examples whose tokens fitted the probes
 * @param testExamples  held-out examples whose tokens scored them
 * @param method        one line: the probe and how its regularisation was chosen
 * @param steps         the recorded steps in the order of the computation ({@code embed}, {@code layer.1}, ...)
 * @param targets       one per per-token feature of the task
 * @param attention     one example's attention maps, or null
 */
public record ProbeRecord(int format, String createdAt, String split, int examples, int trainExamples,
                          int testExamples, String method, List<String> steps, List<Target> targets,
                          Attention attention) {

    /** Copies the lists; missing reads as none. */
    public ProbeRecord {
        steps = steps == null ? List.of() : List.copyOf(steps);
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /**
     * The probes of one per-token feature.
     *
     * @param name     the feature, e.g. {@code in_carry_chain}
     * @param kind     {@code binary}, {@code categorical} or {@code numeric}
     * @param metric   {@code accuracy} (classification) or {@code r2} (regression), on held-out examples
     * @param baseline what the metric gives without the hidden state: the majority class's accuracy on the held-out
     *                 tokens, 0 for R²; null when there were no held-out tokens
     * @param scores   step name to its probe, in step order
     */
    public record Target(String name, String kind, String metric, Double baseline, Map<String, Score> scores) {

        /** Copies the scores; missing reads as none. */
        public Target {
            scores = scores == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    /**
     * One probe: the feature read from one step's hidden state.
     *
     * @param value       held-out accuracy or R²; null when too few tokens were active at the step to fit or to
     *                    score (or, for R², when the held-out values do not vary)
     * @param trainTokens tokens the probe was fitted on
     * @param testTokens  held-out tokens it was scored on
     * @param lambda      the ridge penalty chosen by cross-validation, per token of the standardised state
     */
    public record Score(Double value, int trainTokens, int testTokens, Double lambda) {
    }

    /**
     * The attention of one example at every step that has it.
     *
     * @param example the example id, e.g. {@code test-id/0}
     * @param tokens  the tokens of {@code input <sep> output <eos>}, the maps' rows and columns
     * @param steps   step name to its maps [head][query][key]
     */
    public record Attention(String example, List<String> tokens, Map<String, float[][][]> steps) {

        /** Copies the collections; missing reads as none. */
        public Attention {
            tokens = tokens == null ? List.of() : List.copyOf(tokens);
            steps = steps == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        }
    }
}
