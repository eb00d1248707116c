package org.recursa.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What the report needs from a run's {@code config.json} (docs/runs.md): which run it is and what was trained.
 *
 * @param id         run id, the run directory's name
 * @param task       task id, e.g. {@code binary-successor}
 * @param arch       architecture id, e.g. {@code universal}
 * @param mode       {@code io} or {@code trace}; {@code io} for runs recorded before modes existed
 * @param seed       the run's seed
 * @param parameters model parameters, when recorded
 */
public record RunConfig(String id, String task, String arch, String mode, long seed, OptionalLong parameters) {

    /** The file's name inside a run directory. */
    public static final String FILE = "config.json";

    /**
     * Reads {@code config.json}.
     *
     * @throws IllegalArgumentException {@code <file>: <what is wrong>} when it is missing or damaged
     */
    public static RunConfig read(Path file) {
        JsonNode root = JsonFiles.readDocument(file, "not a run directory");
        String id = root.path("id").isTextual() ? root.path("id").asText()
                : file.toAbsolutePath().getParent().getFileName().toString();
        String mode = root.path("mode").isTextual() ? root.path("mode").asText() : "io";
        JsonNode parameters = JsonFiles.at(root, "model.parameters");
        JsonFiles.Fields fields = JsonFiles.Fields.of(file);
        return new RunConfig(id, fields.text(root, "task.id"), fields.text(root, "architecture.id"),
                mode, (long) fields.number(root, "seed"),
                parameters.isIntegralNumber() ? OptionalLong.of(parameters.asLong()) : OptionalLong.empty());
    }
}
