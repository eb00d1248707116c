package org.recursa.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.compress.Uptraining;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;
import org.recursa.tck.CompressionHarness;
import org.recursa.tck.CompressorConformance;

class Int8CompressorTest {

    private final Int8Compressor compressor = new Int8Compressor();
    private final CompressionHarness harness = Models.harness();

    @TempDir
    Path scratch;

    @Test
    void quantisesEveryMatrixOfVanillaAndUniversalAndKeepsTheirPredictions() throws IOException {
        for (String architecture : new String[] {"vanilla", "universal"}) {
            ModelSnapshot source = Models.snapshot(harness, architecture,
                    architecture.equals("vanilla") ? Map.of("layers", "1") : Map.of("recursions", "2"));

            Compression result = CompressorConformance.verify(compressor, source, Map.of(), harness, scratch);

            result.model().weights().tensors().forEach((name, tensor) -> assertThat(tensor.storage())
                    .as(name).isInstanceOf(tensor.shape().length >= 2 ? Storage.Int8.class : Storage.Float32.class));
            Map<String, Double> measures = result.report().measures();
            assertThat(measures).containsKeys("quantized_tensors", "max_abs_error", "mean_abs_error");
            assertThat(measures.get("mean_abs_error")).isPositive().isLessThan(measures.get("max_abs_error"));
            // std-0.3 weights move by at most half a step of ~|w|max / 127: the predictions hardly change
            assertThat(measures.get("calibration_top1_agreement")).isBetween(0.8, 1.0);
            assertThat(result.report().ratio()).isGreaterThan(1.5);
        }
    }

    @Test
    void aRealisticMatrixShrinksNearlyFourfoldAndMovesEachValueByAtMostHalfAStep() {
        SplittableRandom random = new SplittableRandom(5);
        float[] values = new float[128 * 128];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.05);
        }
        java.util.Arrays.fill(values, 0, 128, 0f);   // channel 0 all zeros: scale 1, codes 0
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("block.0.mlp.up.weight", Tensor.of(new int[] {128, 128}, values));
        tensors.put("block.0.mlp.up.bias", Tensor.of(new int[] {128}, java.util.Arrays.copyOf(values, 128)));
        ModelSnapshot source = fake(tensors);

        Compression result = compressor.compress(source, compressor.schema().resolve(Map.of("calibration", "0")),
                harness);

        Tensor quantised = result.model().weights().tensors().get("block.0.mlp.up.weight");
        float[] scales = ((Storage.Int8) quantised.storage()).scales();
        assertThat(quantised.storageBytes()).isEqualTo(128 * 128 + 4 * 128);
        assertThat((double) 4 * 16384 / quantised.storageBytes()).isCloseTo(3.879, within(0.001));
        assertThat(scales[0]).isEqualTo(1f);
        for (int i = 0; i < values.length; i++) {
            float scale = scales[i / 128];
            assertThat(Math.abs(quantised.values()[i] - values[i])).as("value %d", i)
                    .isLessThanOrEqualTo(scale / 2 * (1 + 1e-5f));
        }
        for (int c = 1; c < 128; c++) {
            float max = 0;
            for (int j = 0; j < 128; j++) {
                max = Math.max(max, Math.abs(values[c * 128 + j]));
            }
            assertThat(scales[c]).isEqualTo(max / 127);
        }
        assertThat(result.model().weights().tensors().get("block.0.mlp.up.bias").storage())
                .isEqualTo(Storage.FLOAT32);
        assertThat(result.report().measures()).containsEntry("quantized_tensors", 1.0)
                .doesNotContainKey("calibration_top1_agreement");
    }

    @Test
    void matricesBelowTheMinimumSizeStayAsTheyAre() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("small", Tensor.of(new int[] {2, 2}, new float[] {0.1f, 0.2f, 0.3f, 0.4f}));
        tensors.put("large", Tensor.of(new int[] {2, 4}, new float[] {1, 2, 3, 4, 5, 6, 7, 8}));

        Compression result = compressor.compress(fake(tensors),
                compressor.schema().resolve(Map.of("min_size", "5", "calibration", "0")), harness);

        assertThat(result.model().weights().tensors().get("small").storage()).isEqualTo(Storage.FLOAT32);
        assertThat(result.model().weights().tensors().get("large").storage()).isInstanceOf(Storage.Int8.class);
    }

    @Test
    void refusesUptraining() {
        CompressorConformance.refuses(compressor, Models.snapshot(harness, "vanilla", Map.of()), Map.of(),
                harness.withUptraining(new Uptraining(10, 1e-4)),
                "int8 is post-training quantisation: uptraining would move weights off the int8 grid; "
                        + "drop uptrain.steps");
    }

    private static ModelSnapshot fake(Map<String, Tensor> tensors) {
        WeightSet weights = new WeightSet(tensors);
        return new ModelSnapshot("vanilla", Map.of(), new ModelInfo("vanilla", 7, 6, weights.parameters(), 1, 1, 1,
                java.util.Set.of()), weights);
    }
}
