package org.recursa.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/** Checkpoint format 3: every storage round-trips bit for bit, bytes on disk are the storage's, bad files fail. */
class CheckpointFormatTest {

    @TempDir
    Path dir;

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    /** Symmetric per-channel int8 of a (rows, columns) matrix, as an int8 compressor computes it. */
    private static Tensor int8(int rows, int columns, long seed) {
        float[] values = gaussian(rows * columns, seed);
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < columns; c++) {
                max = Math.max(max, Math.abs(values[r * columns + c]));
            }
            scales[r] = max == 0 ? 1 : max / 127;
            for (int c = 0; c < columns; c++) {
                values[r * columns + c] = (float) Math.round(values[r * columns + c] / scales[r]) * scales[r];
            }
        }
        return new Tensor(new int[] {rows, columns}, values, new Storage.Int8(scales));
    }

    private static Tensor sparse(int n, double density, long seed) {
        float[] values = gaussian(n, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() >= density) {
                values[i] = 0;
            }
        }
        values[1] = -0.0f;                            // a negative zero must come back as one
        return new Tensor(new int[] {n}, values, Storage.SPARSE);
    }

    private WeightSet mixed() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("embed.tokens", Tensor.of(new int[] {7, 16}, gaussian(112, 1)));
        tensors.put("block.0.attn.qkv.weight", int8(48, 16, 2));
        tensors.put("block.0.mlp.fc1.weight", sparse(1000, 0.3, 3));
        tensors.put("final_norm.bias", Tensor.of(new int[] {16}, new float[16]));
        return new WeightSet(tensors);
    }

    private Path save(WeightSet weights) throws IOException {
        Path file = dir.resolve("model.rckpt");
        Checkpoint.save(file, "vanilla", Map.of("layers", 1), 7, 6, weights, Map.of("run", "r1"));
        return file;
    }

    private static int headerLength(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file), 16, 4).getInt();
    }

    @Test
    void everyStorageRoundTripsBitForBit() throws IOException {
        WeightSet weights = mixed();
        Checkpoint.Contents read = Checkpoint.read(save(weights));

        assertThat(read.weights()).isEqualTo(weights);
        assertThat(read.weights().tensors().get("block.0.mlp.fc1.weight").values()[1]).isEqualTo(-0.0f);
        assertThat(read.header().parameters()).extracting(Checkpoint.Entry::storage)
                .containsExactly("float32", "int8", "sparse", "float32");
    }

    @Test
    void theValuesTakeTheBytesTheirStorageSays() throws IOException {
        WeightSet weights = mixed();
        Path file = save(weights);
        long valueBytes = Files.size(file) - 20 - headerLength(file);

        assertThat(valueBytes).isEqualTo(weights.storageBytes());
        // int8: one byte per value and a float32 scale per row; sparse: a bitmap and the kept values
        assertThat(weights.tensors().get("block.0.attn.qkv.weight").storageBytes()).isEqualTo(48 * 16 + 4 * 48);
        Tensor sparse = weights.tensors().get("block.0.mlp.fc1.weight");
        long kept = 0;
        for (float v : sparse.values()) {
            kept += Float.floatToRawIntBits(v) != 0 ? 1 : 0;
        }
        assertThat(sparse.storageBytes()).isEqualTo(125 + 4 * kept);
        assertThat(kept).isBetween(250L, 350L);
    }

    @Test
    void int8ValuesOffTheGridAreRefused() {
        float[] scales = {0.5f};
        assertThatThrownBy(() -> new Tensor(new int[] {1, 2}, new float[] {1.0f, 0.3f}, new Storage.Int8(scales)))
                .hasMessageContaining("value 0.3 at 1 is not q x 0.5");
        assertThatThrownBy(() -> new Tensor(new int[] {1, 1}, new float[] {64f}, new Storage.Int8(scales)))
                .hasMessageContaining("|q| <= 127");
        assertThatThrownBy(() -> new Tensor(new int[] {2, 1}, new float[] {0, 0}, new Storage.Int8(scales)))
                .hasMessage("int8 storage needs 2 scales (one per channel), got 1");
    }

    @Test
    void formatTwoFilesStillRead() throws IOException {
        byte[] header = ("{\"architecture\":\"vanilla\",\"config\":{},\"vocabularySize\":7,\"maxLength\":6,"
                + "\"parameters\":[{\"name\":\"w\",\"shape\":[2]}],\"provenance\":{}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer values = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        Path file = write(2, header, values.array());

        WeightSet read = Checkpoint.read(file).weights();

        assertThat(read.tensors().get("w")).isEqualTo(Tensor.of(new int[] {2}, new float[] {1.5f, -2f}));
    }

    @Test
    void damagedFilesFailInOneLineWithoutAllocatingWhatTheyClaim() throws IOException {
        Path future = write(4, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThatThrownBy(() -> Checkpoint.read(future))
                .hasMessage(future + " has checkpoint format 4; this Recursa reads formats 2 to 3");

        Path hugeHeader = write(3, new byte[0], new byte[0], Integer.MAX_VALUE);
        assertThatThrownBy(() -> Checkpoint.read(hugeHeader)).hasMessageContaining("header length 2147483647 exceeds");

        byte[] huge = ("{\"architecture\":\"vanilla\",\"config\":{},\"vocabularySize\":7,\"maxLength\":6,"
                + "\"parameters\":[{\"name\":\"w\",\"shape\":[100000,100000],\"storage\":\"int8\"}],"
                + "\"provenance\":{}}").getBytes(StandardCharsets.UTF_8);
        Path claimsTooMuch = write(3, huge, new byte[16]);
        assertThatThrownBy(() -> Checkpoint.read(claimsTooMuch))
                .hasMessageContaining("weight 'w' of shape [100000, 100000] needs more bytes than the 16 left");

        byte[] unknown = ("{\"architecture\":\"vanilla\",\"config\":{},\"vocabularySize\":7,\"maxLength\":6,"
                + "\"parameters\":[{\"name\":\"w\",\"shape\":[1],\"storage\":\"int4\"}],\"provenance\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        Path int4 = write(3, unknown, new byte[4]);
        assertThatThrownBy(() -> Checkpoint.read(int4))
                .hasMessage(int4 + " stores weight 'w' as 'int4'; this Recursa reads float32, int8 and sparse");

        Path notJson = write(3, "not json".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThatThrownBy(() -> Checkpoint.read(notJson)).hasMessageStartingWith(notJson
                + " is damaged: its header is not a checkpoint header").message().doesNotContain("\n");

        WeightSet weights = mixed();
        Path file = save(weights);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.rckpt");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Checkpoint.read(truncated)).hasMessageContaining("truncated");
    }

    private Path write(int format, byte[] header, byte[] values) throws IOException {
        return write(format, header, values, header.length);
    }

    private Path write(int format, byte[] header, byte[] values, int declaredHeaderLength) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(Checkpoint.MAGIC);
            out.writeInt(format);
            out.writeInt(declaredHeaderLength);
            out.write(header);
            out.write(values);
        }
        Path file = Files.createTempFile(dir, "hand", ".rckpt");
        Files.write(file, bytes.toByteArray());
        return file;
    }
}
