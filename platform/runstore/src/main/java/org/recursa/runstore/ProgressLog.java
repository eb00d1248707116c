package org.recursa.runstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metrics.jsonl}: one record per optimiser step and per evaluation, appended a whole line at a time. A last
 * line without its newline is a write cut short by a crash and is skipped; a bad line before it means the file was
 * damaged and is reported. Records of unknown types are skipped, so new types do not break old readers.
 *
 * @param steps one record per optimiser step, in file order
 * @param evals one record per evaluation, in file order
 */
public record ProgressLog(List<Step> steps, List<Eval> evals) {

    /** Copies the lists. */
    public ProgressLog {
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
    }

    /**
     * A {@code type=step} record.
     *
     * @param step   optimiser step, from 1
     * @param loss   total training loss (NaN when training diverged)
     * @param values every numeric field of the record (loss, lr, grad_norm, tokens_per_s, aux losses, statistics)
     */
    public record Step(int step, double loss, Map<String, Double> values) {
    }

    /**
     * A {@code type=eval} record.
     *
     * @param step     step after which the evaluation ran
     * @param split    evaluated split
     * @param tokenAcc share of target tokens predicted right
     * @param seqAcc   share of examples predicted exactly
     */
    public record Eval(int step, String split, double tokenAcc, double seqAcc) {
    }

    /** Evaluations of one split. */
    public List<Eval> evals(String split) {
        return evals.stream().filter(e -> e.split().equals(split)).toList();
    }

    /** Reads the file of the run in {@code dir}; an absent file reads as empty. */
    static ProgressLog read(Path dir) {
        Path file = dir.resolve(RunFormat.METRICS);
        List<Step> steps = new ArrayList<>();
        List<Eval> evals = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ProgressLog(steps, evals);
        } catch (IOException e) {
            throw new DamagedRunException(dir, RunFormat.METRICS + " cannot be read (" + e.getMessage() + ")", e);
        }
        boolean complete = text.endsWith("\n");
        List<String> lines = text.lines().toList();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            JsonNode record;
            try {
                record = Json.LINE.readTree(line);
            } catch (IOException e) {
                if (number == lines.size() && !complete) {
                    break; // a torn last line: the process died mid-write
                }
                throw new DamagedRunException(dir, RunFormat.METRICS + " line " + number + " is not JSON", e);
            }
            add(record, steps, evals);
        }
        return new ProgressLog(steps, evals);
    }

    private static void add(JsonNode record, List<Step> steps, List<Eval> evals) {
        String type = record.path("type").asText("");
        if (type.equals("step")) {
            Map<String, Double> values = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNumber() || field.getValue().isTextual() && isNonFinite(field.getValue())) {
                    values.put(field.getKey(), field.getValue().asDouble());
                }
            }
            steps.add(new Step(record.path("step").asInt(), record.path("loss").asDouble(Double.NaN), values));
        } else if (type.equals("eval")) {
            evals.add(new Eval(record.path("step").asInt(), record.path("split").asText(""),
                    record.path("token_acc").asDouble(), record.path("seq_acc").asDouble()));
        }
    }

    private static boolean isNonFinite(JsonNode text) {
        return switch (text.asText()) {
            case "NaN", "Infinity", "-Infinity" -> true;
            default -> false;
        };
    }
}
