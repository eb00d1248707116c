package org.recursa.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.recursa.runstore.ArtifactFile;

/**
 * Per-token recursion depths of one split, from the {@code depth.per_token} field of its proof artifacts
 * (docs/artifacts.md). Only architectures with a per-token depth (ACT, MoR) write the field; for the others
 * {@link #rows()} is empty.
 *
 * @param split the split the artifacts belong to
 * @param rows  the first examples of the file that carry a depth, in file order
 */
public record DepthTraces(String split, List<Row> rows) {

    /**
     * One example's depths.
     *
     * @param example     example id, {@code <split>/<index>}
     * @param correct     whether the prediction was exactly right
     * @param inputLength input tokens; position {@code inputLength} is {@code <sep>}, the output follows it
     * @param perToken    depth of every position of {@code input <sep> predicted}
     */
    public record Row(String example, boolean correct, int inputLength, double[] perToken) {

        /** The example's index within its split: the part of the id after the last {@code /}. */
        public String index() {
            return example.substring(example.lastIndexOf('/') + 1);
        }
    }

    public DepthTraces {
        rows = List.copyOf(rows);
    }

    /**
     * Reads an artifact file whole (so a damaged line anywhere is reported) and keeps the depths of its first
     * {@code maxRows} examples that have one.
     *
     * @throws IllegalArgumentException {@code <file>: line N: <what is wrong>} for a malformed depth field
     * @throws org.recursa.runstore.DamagedRunException for a line that is not JSON
     */
    public static DepthTraces read(ArtifactFile file, int maxRows) {
        List<Row> rows = new ArrayList<>();
        int[] number = {0};
        file.forEach((record, text) -> {
            number[0]++;
            JsonNode perToken = record.path("depth").path("per_token");
            if (rows.size() >= maxRows || perToken.isMissingNode() || perToken.isNull()) {
                return;
            }
            if (!perToken.isArray()) {
                throw JsonFiles.problem(file.path(), number[0], "field 'depth.per_token' is not an array");
            }
            double[] depths = new double[perToken.size()];
            for (int i = 0; i < depths.length; i++) {
                if (!perToken.get(i).isNumber()) {
                    throw JsonFiles.problem(file.path(), number[0], "field 'depth.per_token[" + i + "]' is not a number");
                }
                depths[i] = perToken.get(i).asDouble();
            }
            String example = record.path("example").asText(file.split() + "/" + rows.size());
            int inputLength = record.path("input").isArray() ? record.path("input").size() : -1;
            rows.add(new Row(example, "correct".equals(record.path("verdict").asText()), inputLength, depths));
        });
        return new DepthTraces(file.split(), rows);
    }
}
