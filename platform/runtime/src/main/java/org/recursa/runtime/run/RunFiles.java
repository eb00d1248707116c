package org.recursa.runtime.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.recursa.runtime.AtomicFiles;

/**
 * One run's directory: {@code config.json}, {@code metrics.jsonl}, {@code final.json}, {@code status},
 * {@code checkpoint/model.rckpt}. JSON documents are replaced atomically; metrics are appended a whole line
 * at a time and flushed, so a crash leaves at worst the lines written so far.
 */
public final class RunFiles implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();

    private final Path dir;
    private final BufferedWriter metrics;

    private RunFiles(Path dir) throws IOException {
        this.dir = dir;
        this.metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Creates a new run directory; fails if it exists. */
    static RunFiles create(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir);
        return new RunFiles(dir);
    }

    /** The run's directory. */
    public Path dir() {
        return dir;
    }

    /** Where the checkpoint goes. */
    Path checkpoint() {
        return dir.resolve("checkpoint").resolve("model.rckpt");
    }

    /** Replaces a JSON document atomically. */
    void writeJson(String name, Object value) {
        try {
            AtomicFiles.write(dir.resolve(name), JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the run's state: running, finished, interrupted or failed. */
    void status(String status) {
        AtomicFiles.write(dir.resolve("status"), (status + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Appends one metrics record as a line. */
    void metric(Object record) {
        try {
            metrics.write(LINE.writeValueAsString(record));
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
