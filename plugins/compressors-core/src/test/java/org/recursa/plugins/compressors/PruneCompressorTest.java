package org.recursa.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;
import org.recursa.tck.CompressionHarness;
import org.recursa.tck.CompressorConformance;

class PruneCompressorTest {

    private static final List<String> PRUNABLE = List.of("block.0.attn.qkv.weight", "block.0.attn.proj.weight",
            "block.0.mlp.up.weight", "block.0.mlp.down.weight", "block.1.attn.qkv.weight", "block.1.attn.proj.weight",
            "block.1.mlp.up.weight", "block.1.mlp.down.weight");

    private final PruneCompressor compressor = new PruneCompressor();
    private final CompressionHarness harness = Models.harness();

    @TempDir
    Path scratch;

    private ModelSnapshot vanilla() {
        return Models.snapshot(harness, "vanilla", Map.of("layers", "2"));
    }

    @Test
    void layerScopeZeroesTheSmallestValuesOfEachBlockMatrixAndStoresItSparse() throws IOException {
        ModelSnapshot source = vanilla();

        Compression result = Compressions.run(compressor, source, Map.of("sparsity", "0.3", "scope", "layer"),
                harness);

        assertThat(PrunableWeights.names(source.weights())).containsExactlyElementsOf(PRUNABLE);
        result.model().weights().tensors().forEach((name, tensor) -> {
            Tensor original = source.weights().tensors().get(name);
            if (PRUNABLE.contains(name)) {
                assertThat(tensor.storage()).as(name).isEqualTo(Storage.SPARSE);
                assertThat(zeros(tensor)).as(name).isEqualTo(Math.round(0.3 * tensor.size()));
                assertKeepsTheLargest(List.of(original), List.of(tensor));
            } else {
                assertThat(tensor).as(name).isEqualTo(original);
            }
        });
        assertThat(result.report().measures().get("sparsity")).isCloseTo(0.3, within(0.01));
        assertThat(result.report().bytesAfter()).isLessThan(result.report().bytesBefore());
    }

    @Test
    void globalScopeRanksAllBlockMatricesTogether() throws IOException {
        ModelSnapshot source = vanilla();

        Compression result = Compressions.run(compressor, source, Map.of("sparsity", "0.6"), harness);

        List<Tensor> before = new ArrayList<>();
        List<Tensor> after = new ArrayList<>();
        long total = 0;
        for (String name : PRUNABLE) {
            before.add(source.weights().tensors().get(name));
            after.add(result.model().weights().tensors().get(name));
            total += before.get(before.size() - 1).size();
        }
        assertThat(after.stream().mapToLong(PruneCompressorTest::zeros).sum()).isEqualTo(Math.round(0.6 * total));
        assertKeepsTheLargest(before, after);
        assertThat(result.report().measures()).containsEntry("pruned_values", (double) Math.round(0.6 * total));
    }

    @Test
    void headPruningRemovesWholeHeadsAndComputesAsIfTheirOutputColumnsWereZero() throws IOException {
        ModelSnapshot source = Models.snapshot(harness, "vanilla", Map.of("layers", "2", "heads", "4"));
        // the full conformance (target architecture included) once for this compressor: it is slow

        Compression result = CompressorConformance.verify(compressor, source, Map.of("sparsity", "0.5",
                "scope", "layer", "structure", "heads"), harness, scratch);

        assertThat(result.report().measures()).containsEntry("pruned_heads", 4.0)
                .containsEntry("sparsity", 256.0 / 896);   // per layer 2 x (3 x 2 x 8 + 8 x 2) of 448 values
        Map<String, Tensor> reference = new LinkedHashMap<>(source.weights().tensors());
        for (int layer = 0; layer < 2; layer++) {
            float[] qkv = result.model().weights().tensors().get("block." + layer + ".attn.qkv.weight").values();
            float[] proj = result.model().weights().tensors().get("block." + layer + ".attn.proj.weight").values();
            int removed = 0;
            for (int head = 0; head < 4; head++) {
                boolean gone = allZero(qkv, head * 2 * 8, 2 * 8);
                // a head goes whole: its q, k and v rows and its output columns, or nothing of it
                assertThat(allZero(qkv, (8 + head * 2) * 8, 2 * 8)).isEqualTo(gone);
                assertThat(allZero(qkv, (16 + head * 2) * 8, 2 * 8)).isEqualTo(gone);
                assertThat(columnsZero(proj, 8, head * 2, 2)).isEqualTo(gone);
                if (gone) {
                    removed++;
                    String name = "block." + layer + ".attn.proj.weight";
                    float[] columns = reference.get(name).values().clone();
                    for (int row = 0; row < 8; row++) {
                        columns[row * 8 + head * 2] = 0;
                        columns[row * 8 + head * 2 + 1] = 0;
                    }
                    reference.put(name, Tensor.of(new int[] {8, 8}, columns));
                }
            }
            assertThat(removed).isEqualTo(2);
        }
        float[][] expected = harness.load(new ModelSnapshot("vanilla", source.settings(), source.info(),
                new WeightSet(reference))).nextTokenLogits(Models.PROBE);
        float[][] actual = harness.load(result.model()).nextTokenLogits(Models.PROBE);
        for (int row = 0; row < expected.length; row++) {
            for (int i = 0; i < expected[row].length; i++) {
                assertThat(actual[row][i]).isCloseTo(expected[row][i], within(1e-5f));
            }
        }
    }

    @Test
    void ffnPruningRemovesWholeUnitsOfSmallestNorm() throws IOException {
        ModelSnapshot source = vanilla();

        Compression result = Compressions.run(compressor, source, Map.of("sparsity", "0.25", "structure", "ffn"),
                harness);

        // 24 units of 2 MLPs of 12: 6 go, each a row of 8 in up and a column of 8 in down
        assertThat(result.report().measures()).containsEntry("pruned_units", 6.0)
                .containsEntry("pruned_values", 6.0 * 16);
        List<Double> kept = new ArrayList<>();
        List<Double> gone = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            float[] up = result.model().weights().tensors().get("block." + layer + ".mlp.up.weight").values();
            float[] down = result.model().weights().tensors().get("block." + layer + ".mlp.down.weight").values();
            float[] upBefore = source.weights().tensors().get("block." + layer + ".mlp.up.weight").values();
            float[] downBefore = source.weights().tensors().get("block." + layer + ".mlp.down.weight").values();
            for (int unit = 0; unit < 12; unit++) {
                boolean zero = allZero(up, unit * 8, 8);
                assertThat(columnsZero(down, 12, unit, 1)).isEqualTo(zero);
                double norm = 0;
                for (int j = 0; j < 8; j++) {
                    norm += upBefore[unit * 8 + j] * upBefore[unit * 8 + j]
                            + downBefore[j * 12 + unit] * downBefore[j * 12 + unit];
                }
                (zero ? gone : kept).add(norm);
            }
        }
        assertThat(gone).hasSize(6);
        assertThat(gone.stream().mapToDouble(d -> d).max().orElseThrow())
                .isLessThanOrEqualTo(kept.stream().mapToDouble(d -> d).min().orElseThrow());
    }

    @Test
    void refusesSparsitiesOutsideTheHalfOpenRangeAndStructuresItCannotHandle() {
        ModelSnapshot source = vanilla();
        CompressorConformance.refuses(compressor, source, Map.of("sparsity", "1.0"), harness,
                "setting 'sparsity' must be a number in [0, 1), got '1.0'");
        CompressorConformance.refuses(compressor, source, Map.of("sparsity", "-0.1"), harness,
                "setting 'sparsity' must be a number in [0, 1), got '-0.1'");
        CompressorConformance.refuses(compressor, source, Map.of("structure", "rows"), harness,
                "setting 'structure' must be one of none, heads, ffn");
        ModelSnapshot relaxed = Models.snapshot(harness, "relaxed", Map.of("lora_rank", "2"));
        CompressorConformance.refuses(compressor, relaxed, Map.of("structure", "heads"), harness,
                "structure=heads cannot prune relaxed: its LoRA factors");
    }

    @Test
    void unstructuredPruningAlsoAppliesToSharedWeights() throws IOException {
        ModelSnapshot source = Models.snapshot(harness, "relaxed", Map.of("lora_rank", "2"));

        Compression result = Compressions.run(compressor, source, Map.of("sparsity", "0.5"), harness);

        assertThat(result.model().weights().tensors().get("block.0.attn.qkv.weight").storage())
                .isEqualTo(Storage.SPARSE);
        assertThat(result.model().weights().tensors().get("depth.0.attn.qkv.lora_a").storage())
                .isEqualTo(Storage.FLOAT32);
    }

    /** Every pruned value had a magnitude no larger than every kept one. */
    private static void assertKeepsTheLargest(List<Tensor> before, List<Tensor> after) {
        float largestPruned = 0;
        float smallestKept = Float.MAX_VALUE;
        for (int t = 0; t < before.size(); t++) {
            for (int i = 0; i < before.get(t).size(); i++) {
                float magnitude = Math.abs(before.get(t).values()[i]);
                if (after.get(t).values()[i] == 0) {
                    largestPruned = Math.max(largestPruned, magnitude);
                } else {
                    assertThat(after.get(t).values()[i]).isEqualTo(before.get(t).values()[i]);
                    smallestKept = Math.min(smallestKept, magnitude);
                }
            }
        }
        assertThat(largestPruned).isLessThanOrEqualTo(smallestKept);
    }

    private static long zeros(Tensor tensor) {
        long zeros = 0;
        for (float value : tensor.values()) {
            zeros += value == 0 ? 1 : 0;
        }
        return zeros;
    }

    private static boolean allZero(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (values[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean columnsZero(float[] values, int columns, int from, int count) {
        for (int row = 0; row < values.length / columns; row++) {
            if (!allZero(values, row * columns + from, count)) {
                return false;
            }
        }
        return true;
    }
}
