package org.recursa.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Model weights on disk, in one file (documented in docs/checkpoints.md):
 * <pre>
 *   "RECURSA-CKPT"            12 bytes, ASCII
 *   format version            int32, big-endian (currently 3; 2 had float32 values only, 1 linear weights (in, out))
 *   header length             int32, big-endian
 *   header                    UTF-8 JSON: architecture, config, vocabulary size, max length, parameters
 *                             (name, shape and storage, in file order), provenance
 *   values                    each parameter in header order, row-major, in its storage:
 *                               float32  values as float32 little-endian
 *                               int8     one float32 scale per channel (first dimension), then one signed byte per value
 *                               sparse   a bitmap (bit i of byte i/8, lowest bit first) of the values other than +0.0,
 *                                        then those values as float32
 * </pre>
 * The header names every weight with its shape, so loading into a different architecture or shape fails
 * with a message that says which weight differs, instead of silently reinterpreting bytes. A file is hostile until
 * read: sizes are checked against what is left of the file before anything is allocated.
 */
public final class Checkpoint {

    static final byte[] MAGIC = "RECURSA-CKPT".getBytes(StandardCharsets.US_ASCII);
    // 3: a storage per weight (float32, int8, sparse). 2: float32 only, read as before. Format 1 held linear weights
    // (in, out); a square matrix of a format-1 file would load silently transposed, so those files are refused by
    // version rather than by shape.
    static final int FORMAT = 3;
    private static final int OLDEST_READABLE = 2;
    private static final int MAX_HEADER_BYTES = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a checkpoint says about itself.
     *
     * @param architecture   the architecture id
     * @param config         the architecture's resolved settings
     * @param vocabularySize token ids the model reads
     * @param maxLength      longest sequence
     * @param parameters     name, shape and storage of each weight, in file order
     * @param provenance     free-form facts: platform version, seed, steps, time
     */
    public record Header(String architecture, Map<String, Object> config, int vocabularySize, int maxLength,
                         List<Entry> parameters, Map<String, Object> provenance) {
    }

    /**
     * One weight's name, shape and storage.
     *
     * @param storage {@code float32}, {@code int8} or {@code sparse}; null (format 2) reads as float32
     */
    public record Entry(String name, long[] shape, String storage) {

        /** A float32 weight. */
        public Entry(String name, long[] shape) {
            this(name, shape, null);
        }
    }

    /** A header and the weights it describes. */
    public record Contents(Header header, WeightSet weights) {
    }

    private Checkpoint() {
    }

    /** Writes a model's parameters as float32, atomically (temporary file, then rename). */
    public static void save(Path file, String architecture, Map<String, Object> config, int vocabularySize,
                            int maxLength, ParameterSet parameters, Map<String, Object> provenance) throws IOException {
        save(file, architecture, config, vocabularySize, maxLength, parameters.toWeightSet(), provenance);
    }

    /**
     * Writes weights, each in its {@link Tensor#storage()}, atomically (temporary file, then rename).
     *
     * @since 0.4.0
     */
    public static void save(Path file, String architecture, Map<String, Object> config, int vocabularySize,
                            int maxLength, WeightSet weights, Map<String, Object> provenance) throws IOException {
        List<Entry> entries = new ArrayList<>();
        weights.tensors().forEach((name, t) -> entries.add(new Entry(name,
                Arrays.stream(t.shape()).asLongStream().toArray(), t.storage().id())));
        byte[] header = JSON.writeValueAsBytes(new Header(architecture, config, vocabularySize, maxLength, entries,
                provenance));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(header.length);
            out.write(header);
            for (Tensor tensor : weights.tensors().values()) {
                writeValues(out, tensor);
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

    private static void writeValues(DataOutputStream out, Tensor tensor) throws IOException {
        float[] values = tensor.values();
        Storage storage = tensor.storage();
        if (storage instanceof Storage.Int8 int8) {
            float[] scales = int8.scales();
            out.write(floats(scales, scales.length));
            int perChannel = scales.length == 0 ? 0 : values.length / scales.length;
            byte[] codes = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                codes[i] = (byte) Math.round(values[i] / scales[i / Math.max(1, perChannel)]);
            }
            out.write(codes);
        } else if (storage instanceof Storage.Sparse) {
            byte[] bitmap = new byte[(values.length + 7) / 8];
            float[] kept = new float[values.length];
            int count = 0;
            for (int i = 0; i < values.length; i++) {
                if (Float.floatToRawIntBits(values[i]) != 0) {
                    bitmap[i >>> 3] |= (byte) (1 << (i & 7));
                    kept[count++] = values[i];
                }
            }
            out.write(bitmap);
            out.write(floats(kept, count));
        } else {
            out.write(floats(values, values.length));
        }
    }

    private static byte[] floats(float[] values, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values, 0, count);
        return buffer.array();
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IOException with a one-line message if the file is not a checkpoint, of another format version,
     *                     truncated, or describes more values than it holds
     */
    public static Contents read(Path file) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(raw)) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a Recursa checkpoint (no RECURSA-CKPT header)");
            }
            int format = in.readInt();
            if (format < OLDEST_READABLE || format > FORMAT) {
                throw new IOException(file + " has checkpoint format " + format + "; this Recursa reads formats "
                        + OLDEST_READABLE + " to " + FORMAT);
            }
            int headerLength = in.readInt();
            long left = fileSize - MAGIC.length - 8;
            if (headerLength < 0 || headerLength > Math.min(left, MAX_HEADER_BYTES)) {
                throw new IOException(file + " is damaged: its header length " + headerLength + " exceeds the "
                        + Math.min(left, MAX_HEADER_BYTES) + " bytes it can have");
            }
            byte[] headerBytes = new byte[headerLength];
            in.readFully(headerBytes);
            Header header = JSON.readValue(headerBytes, Header.class);
            if (header.parameters() == null) {
                throw new IOException(file + " is damaged: its header lists no parameters");
            }
            left -= headerLength;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry entry : header.parameters()) {
                Values values = new Values(file, entry, left);
                Tensor tensor = values.read(in);
                left -= values.bytesRead;
                if (tensors.put(entry.name(), tensor) != null) {
                    throw new IOException(file + " is damaged: weight '" + entry.name() + "' appears twice");
                }
            }
            return new Contents(header, new WeightSet(tensors));
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: it ends before all weights were read");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is damaged: its header is not a checkpoint header ("
                    + e.getOriginalMessage() + ")");
        }
    }

    /** Reads one entry's values, checking each size against the bytes left in the file before allocating. */
    private static final class Values {
        private final Path file;
        private final Entry entry;
        private final long left;
        private final int[] shape;
        private final int size;
        private long bytesRead;

        Values(Path file, Entry entry, long left) throws IOException {
            this.file = file;
            this.entry = entry;
            this.left = left;
            if (entry.name() == null || entry.shape() == null) {
                throw new IOException(file + " is damaged: a weight without a name or shape");
            }
            long count = 1;
            shape = new int[entry.shape().length];
            for (int d = 0; d < shape.length; d++) {
                long dim = entry.shape()[d];
                if (dim < 0 || dim > Integer.MAX_VALUE || (count *= Math.max(dim, 1)) > left) {
                    throw tooLarge();
                }
                shape[d] = (int) dim;
            }
            long values = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            if (values > Integer.MAX_VALUE - 8) {
                throw tooLarge();                       // no Java array holds it, whatever the file says
            }
            size = (int) values;
        }

        Tensor read(DataInputStream in) throws IOException {
            String storage = entry.storage() == null ? "float32" : entry.storage();
            try {
                return switch (storage.toLowerCase(Locale.ROOT)) {
                    case "float32" -> Tensor.of(shape, readFloats(in, size));
                    case "int8" -> readInt8(in);
                    case "sparse" -> readSparse(in);
                    default -> throw new IOException(file + " stores weight '" + entry.name() + "' as '" + storage
                            + "'; this Recursa reads float32, int8 and sparse");
                };
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is damaged: weight '" + entry.name() + "': " + e.getMessage());
            }
        }

        private Tensor readInt8(DataInputStream in) throws IOException {
            int channels = Storage.Int8.channels(shape);
            float[] scales = readFloats(in, channels);
            byte[] codes = readBytes(in, size);
            float[] values = new float[size];
            int perChannel = channels == 0 ? 0 : size / channels;
            for (int i = 0; i < size; i++) {
                values[i] = (float) codes[i] * scales[i / Math.max(1, perChannel)];
            }
            return new Tensor(shape, values, new Storage.Int8(scales));
        }

        private Tensor readSparse(DataInputStream in) throws IOException {
            byte[] bitmap = readBytes(in, (size + 7) / 8);
            int count = 0;
            for (byte b : bitmap) {
                count += Integer.bitCount(b & 0xff);
            }
            float[] kept = readFloats(in, count);
            float[] values = new float[size];
            int next = 0;
            for (int i = 0; i < size && next < count; i++) {
                if ((bitmap[i >>> 3] & (1 << (i & 7))) != 0) {
                    values[i] = kept[next++];
                }
            }
            if (next != count) {
                throw new IOException(file + " is damaged: weight '" + entry.name() + "' marks values past its end");
            }
            return new Tensor(shape, values, Storage.SPARSE);
        }

        private float[] readFloats(DataInputStream in, int count) throws IOException {
            byte[] bytes = readBytes(in, 4L * count);
            float[] values = new float[count];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }

        private byte[] readBytes(DataInputStream in, long count) throws IOException {
            if (count > left - bytesRead) {
                throw tooLarge();
            }
            byte[] bytes = new byte[(int) count];
            in.readFully(bytes);
            bytesRead += count;
            return bytes;
        }

        private IOException tooLarge() {
            return new IOException(file + " is truncated or damaged: weight '" + entry.name() + "' of shape "
                    + Arrays.toString(entry.shape()) + " needs more bytes than the " + (left - bytesRead)
                    + " left in the file");
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
