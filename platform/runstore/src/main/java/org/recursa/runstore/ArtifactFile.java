package org.recursa.runstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One proof-artifact file of a run, {@code artifacts/<split>.jsonl} (docs/artifacts.md), read a record at a time
 * (a split can hold thousands of examples).
 *
 * @param run   the run directory
 * @param split the evaluated split
 * @param path  the file, for messages
 */
public record ArtifactFile(Path run, String split, Path path) {

    /** Receives the records of an artifact file. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * One record.
         *
         * @param record the parsed record
         * @param text   the line as written
         */
        void record(JsonNode record, String text);
    }

    /**
     * Streams every record to {@code visitor}.
     *
     * @throws DamagedRunException when a line is not JSON (artifact files are written whole and renamed, so a bad
     *                             line means the file was damaged after the run)
     */
    public void forEach(Visitor visitor) {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record;
                try {
                    record = Json.LINE.readTree(line);
                } catch (IOException e) {
                    throw new DamagedRunException(run, RunFormat.ARTIFACTS + "/" + split + RunFormat.ARTIFACT_SUFFIX
                            + " line " + number + " is not JSON", e);
                }
                visitor.record(record, line);
            }
        } catch (IOException e) {
            throw new DamagedRunException(run, RunFormat.ARTIFACTS + "/" + split + RunFormat.ARTIFACT_SUFFIX
                    + " cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
