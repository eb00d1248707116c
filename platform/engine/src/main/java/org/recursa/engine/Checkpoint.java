package org.recursa.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Model weights on disk, in one file (documented in docs/checkpoints.md):
 * <pre>
 *   "RECURSA-CKPT"            12 bytes, ASCII
 *   format version            int32, big-endian (currently 2: linear weights (out, in); 1 had (in, out))
 *   header length             int32, big-endian
 *   header                    UTF-8 JSON: architecture, config, vocabulary size, max length, parameters
 *                             (name and shape, in file order), provenance
 *   values                    float32 little-endian, each parameter in header order, row-major
 * </pre>
 * The header names every weight with its shape, so loading into a different architecture or shape fails
 * with a message that says which weight differs, instead of silently reinterpreting bytes.
 */
public final class Checkpoint {

    static final byte[] MAGIC = "RECURSA-CKPT".getBytes(StandardCharsets.US_ASCII);
    // 2: linear weights are stored (out, in). Format 1 held them (in, out); a square matrix of a format-1 file
    // would load silently transposed, so those files are refused by version rather than by shape.
    static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a checkpoint says about itself.
     *
     * @param architecture   the architecture id
     * @param config         the architecture's resolved settings
     * @param vocabularySize token ids the model reads
     * @param maxLength      longest sequence
     * @param parameters     name and shape of each weight, in file order
     * @param provenance     free-form facts: platform version, seed, steps, time
     */
    public record Header(String architecture, Map<String, Object> config, int vocabularySize, int maxLength,
                         List<Entry> parameters, Map<String, Object> provenance) {
    }

    /** One weight's name and shape. */
    public record Entry(String name, long[] shape) {
    }

    /** A header and the weights it describes. */
    public record Contents(Header header, WeightSet weights) {
    }

    private Checkpoint() {
    }

    /** Writes a checkpoint atomically (temporary file, then rename). */
    public static void save(Path file, String architecture, Map<String, Object> config, int vocabularySize,
                            int maxLength, ParameterSet parameters, Map<String, Object> provenance) throws IOException {
        List<Entry> entries = parameters.all().stream().map(p -> new Entry(p.name(), p.shape())).toList();
        byte[] header = JSON.writeValueAsBytes(new Header(architecture, config, vocabularySize, maxLength, entries,
                provenance));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(header.length);
            out.write(header);
            for (Parameter p : parameters.all()) {
                float[] values = p.value().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
                ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(values);
                out.write(buffer.array());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IOException with a one-line message if the file is not a checkpoint, of another format version,
     *                     or truncated
     */
    public static Contents read(Path file) throws IOException {
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(raw)) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a Recursa checkpoint (no RECURSA-CKPT header)");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException(file + " has checkpoint format " + format + "; this Recursa reads format " + FORMAT);
            }
            byte[] headerBytes = new byte[in.readInt()];
            in.readFully(headerBytes);
            Header header = JSON.readValue(headerBytes, Header.class);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry entry : header.parameters()) {
                int size = (int) Arrays.stream(entry.shape()).reduce(1, (a, b) -> a * b);
                byte[] bytes = new byte[size * 4];
                in.readFully(bytes);
                float[] values = new float[size];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                tensors.put(entry.name(), Tensor.of(Arrays.stream(entry.shape()).mapToInt(d -> (int) d).toArray(), values));
            }
            return new Contents(header, new WeightSet(tensors));
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: it ends before all weights were read");
        }
    }

    /**
     * Loads a checkpoint into a model's parameters.
     *
     * @param architecture the architecture the model was built by
     * @throws IOException with one line naming what differs: the architecture, or the first weight whose name
     *                     or shape does not match
     */
    public static Header load(Path file, String architecture, ParameterSet target) throws IOException {
        Contents contents = read(file);
        if (!contents.header().architecture().equals(architecture)) {
            throw new IOException(file + " is a checkpoint of architecture '" + contents.header().architecture()
                    + "', not '" + architecture + "'");
        }
        try {
            target.assign(contents.weights());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit this model: " + e.getMessage() + " (checkpoint settings: "
                    + contents.header().config() + ")");
        }
        return contents.header();
    }
}
