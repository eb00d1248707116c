package org.recursa.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training and evaluation curves of a run, from {@code metrics.jsonl} (docs/runs.md). Records of other types
 * are skipped, so new record types do not break old reports.
 *
 * @param steps one record per optimiser step, in file order
 * @param evals one record per evaluation of the held-out set, in file order
 */
public record Metrics(List<Step> steps, List<Eval> evals) {

    /** The file's name inside a run directory. */
    public static final String FILE = "metrics.jsonl";

    /**
     * A {@code type=step} record.
     *
     * @param step optimiser step, from 1
     * @param loss total training loss (may be NaN when training diverged)
     */
    public record Step(int step, double loss) {
    }

    /**
     * A {@code type=eval} record.
     *
     * @param step     step after which the evaluation ran
     * @param split    evaluated split, {@code test-id} for the held-out set
     * @param tokenAcc share of target tokens predicted right
     * @param seqAcc   share of examples predicted exactly
     */
    public record Eval(int step, String split, double tokenAcc, double seqAcc) {
    }

    public Metrics {
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
    }

    /**
     * Reads {@code metrics.jsonl}.
     *
     * @throws IllegalArgumentException {@code <file>: line N: <what is wrong>} for a damaged line
     */
    public static Metrics read(Path file) {
        List<Step> steps = new ArrayList<>();
        List<Eval> evals = new ArrayList<>();
        for (JsonFiles.Line line : JsonFiles.readLines(file, "not a run directory")) {
            JsonFiles.Fields fields = JsonFiles.Fields.ofLine(file, line.number());
            JsonNode record = line.node();
            String type = record.path("type").asText("");
            if (type.equals("step")) {
                steps.add(new Step(fields.integer(record, "step"), fields.number(record, "loss")));
            } else if (type.equals("eval")) {
                evals.add(new Eval(fields.integer(record, "step"), fields.text(record, "split"),
                        fields.number(record, "token_acc"), fields.number(record, "seq_acc")));
            }
        }
        return new Metrics(steps, evals);
    }

    /** Evaluations of one split, e.g. {@code test-id}, the held-out set used for early stopping. */
    public List<Eval> evals(String split) {
        return evals.stream().filter(e -> e.split().equals(split)).toList();
    }
}
