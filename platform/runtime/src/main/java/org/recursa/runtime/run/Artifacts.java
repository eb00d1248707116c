package org.recursa.runtime.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Verdict;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Evaluation;
import org.recursa.runtime.train.TraceCheck;

/**
 * Proof artifacts: for every evaluated example, the reference derivation, the prediction, the verdict, in
 * trace mode the step-by-step check, and the per-token depth trace where the model has one. The run store writes
 * them as one JSON Lines file per split. The schema is documented in docs/artifacts.md; bump {@link #SCHEMA} when a
 * field changes meaning.
 */
final class Artifacts {

    /** Version of the record layout. */
    static final int SCHEMA = 1;

    private Artifacts() {
    }

    /** The records of one evaluated split, one per example. */
    static List<Map<String, Object>> records(Map<String, Object> context, Evaluation.Result result) {
        List<Map<String, Object>> records = new ArrayList<>(result.judgements().size());
        for (int i = 0; i < result.judgements().size(); i++) {
            records.add(record(context, result.split(), result.judgements().get(i), result.depths().get(i)));
        }
        return records;
    }

    static Map<String, Object> record(Map<String, Object> context, String split, BoundTask.Judgement judgement,
                                      double[] depth) {
        Verdict verdict = judgement.verdict();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("schema", SCHEMA);
        record.putAll(context);
        record.put("split", split);
        record.put("example", judgement.example().id());
        record.put("input", judgement.example().input());
        record.put("expected", verdict.expected());
        record.put("predicted", verdict.predicted());
        record.put("verdict", verdict.correct() ? "correct" : "wrong");
        record.put("token_acc", verdict.tokensTotal() == 0 ? 1.0 : (double) verdict.tokensCorrect() / verdict.tokensTotal());
        record.put("first_error", verdict.firstError());
        record.put("explanation", verdict.explanation());
        record.put("features", new TreeMap<>(judgement.example().features()));
        record.put("derivation", derivation(judgement));
        if (judgement.trace() != null) {
            record.put("trace_check", trace(judgement.trace()));
        }
        if (depth != null) {
            record.put("depth", depth(depth, judgement.example().input().size() + 1));
        }
        return record;
    }

    private static Map<String, Object> derivation(BoundTask.Judgement judgement) {
        List<Map<String, Object>> steps = judgement.reference().steps().stream().map(Artifacts::step).toList();
        return Map.of("steps", steps, "answer", judgement.reference().answer());
    }

    private static Map<String, Object> step(ReductionStep step) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rule", step.rule());
        map.put("position", step.position());
        map.put("term", step.term());
        return map;
    }

    private static Map<String, Object> trace(TraceCheck.Result check) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("predicted_steps", check.predictedSteps());
        map.put("valid_steps", check.validSteps());
        map.put("first_invalid_step", check.firstInvalidStep());
        map.put("expected_rule", check.expectedRule());
        map.put("expected_position", check.expectedPosition());
        map.put("reaches_answer", check.reachesAnswer());
        map.put("explanation", check.explanation());
        return map;
    }

    /** Per-token depth of {@code input SEP output}, with the mean over all tokens and over the output. */
    private static Map<String, Object> depth(double[] perToken, int promptLength) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("per_token", perToken);
        map.put("mean", Arrays.stream(perToken).average().orElse(0));
        map.put("max", Arrays.stream(perToken).max().orElse(0));
        map.put("output_mean", perToken.length > promptLength
                ? Arrays.stream(perToken, promptLength, perToken.length).average().orElse(0) : 0);
        return map;
    }
}
