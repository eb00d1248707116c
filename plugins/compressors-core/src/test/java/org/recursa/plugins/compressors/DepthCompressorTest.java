package org.recursa.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.model.Tensor;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.tck.CompressionHarness;
import org.recursa.tck.CompressorConformance;

class DepthCompressorTest {

    private final DepthCompressor compressor = new DepthCompressor();
    private final CompressionHarness harness = Models.harness();

    @TempDir
    Path scratch;

    @Test
    void universalAtTwoRecursionsIsTheSourceRunAtDepthTwo() throws IOException {
        ModelSnapshot source = Models.snapshot(harness, "universal", Map.of("recursions", "3"));

        Compression result = CompressorConformance.verify(compressor, source, Map.of("recursions", "2"), harness,
                scratch);

        assertThat(result.model().settings()).containsEntry("recursions", 2);
        assertThat(result.report().measures()).containsExactly(Map.entry("recursions_before", 3.0),
                Map.entry("recursions_after", 2.0));
        result.model().weights().tensors().forEach((name, tensor) -> {
            Tensor original = source.weights().tensors().get(name);
            if (name.equals("embed.steps")) {   // one row per step: the first two stay
                assertThat(tensor.shape()).containsExactly(2, 8);
                assertThat(tensor.values()).containsExactly(Arrays.copyOf(original.values(), 16));
            } else {
                assertThat(tensor).as(name).isEqualTo(original);
            }
        });
        assertSameLogitsAsTheSourceAtDepth(source, result, 2);
    }

    @Test
    void relaxedDropsTheNormsBiasesAndLorasOfTheDroppedLoop() throws IOException {
        ModelSnapshot source = Models.snapshot(harness, "relaxed", Map.of("shared_layers", "2", "loops", "3",
                "lora_rank", "2"));

        Compression result = Compressions.run(compressor, source, Map.of("recursions", "2"), harness);

        assertThat(result.model().settings()).containsEntry("loops", 2);
        assertThat(result.model().weights().tensors().keySet()).anyMatch(n -> n.startsWith("depth.3."))
                .noneMatch(n -> n.startsWith("depth.4.") || n.startsWith("depth.5."));
        result.model().weights().tensors().forEach((name, tensor) ->
                assertThat(tensor).as(name).isEqualTo(source.weights().tensors().get(name)));
        assertThat(result.report().parametersAfter()).isLessThan(result.report().parametersBefore());
        assertSameLogitsAsTheSourceAtDepth(source, result, 2);
    }

    @Test
    void loopformerAndRecurrentDepthRunAsTheSourceAtTheLowerDepth() throws IOException {
        ModelSnapshot loopformer = Models.snapshot(harness, "loopformer", Map.of("blocks", "1", "loops", "3",
                "fourier_dims", "8", "schedule", "0.5,0.25,0.25"));
        Compression shorter = Compressions.run(compressor, loopformer, Map.of("recursions", "2"), harness);
        assertThat(shorter.model().settings()).containsEntry("loops", 2).containsEntry("schedule", "");
        assertThat(shorter.report().measures()).containsEntry("recursions_before", 3.0);
        assertSameLogitsAsTheSourceAtDepth(loopformer, shorter, 2);

        ModelSnapshot recurrent = Models.snapshot(harness, "recurrent-depth", Map.of("recurrent_layers", "1",
                "mean_recurrence", "4", "init_state", "zeros"));
        Compression fewer = Compressions.run(compressor, recurrent, Map.of("recursions", "2"), harness);
        assertThat(fewer.model().settings()).containsEntry("mean_recurrence", 2);
        assertThat(fewer.model().weights()).isEqualTo(recurrent.weights());
        assertSameLogitsAsTheSourceAtDepth(recurrent, fewer, 2);
    }

    @Test
    void mixtureOfRecursionsKeepsTheRoutersOfTheRemainingRecursions() throws IOException {
        ModelSnapshot source = Models.snapshot(harness, "mor", Map.of("recursions", "3"));

        Compression result = Compressions.run(compressor, source, Map.of("recursions", "2"), harness);

        assertThat(result.model().weights().tensors()).containsKeys("router.0.weight", "router.1.weight")
                .doesNotContainKey("router.2.weight");
    }

    @Test
    void refusesArchitecturesWithoutADepthAndDepthsThatAreNotLower() {
        CompressorConformance.refuses(compressor, Models.snapshot(harness, "vanilla", Map.of()),
                Map.of("recursions", "1"), harness, "vanilla has no depth setting to lower");
        CompressorConformance.refuses(compressor, Models.snapshot(harness, "sliced", Map.of("nll_hidden", "6")),
                Map.of("recursions", "1"), harness, "depth applies to recursive architectures (universal, relaxed");
        ModelSnapshot universal = Models.snapshot(harness, "universal", Map.of("recursions", "4"));
        CompressorConformance.refuses(compressor, universal, Map.of("recursions", "4"), harness,
                "must be below the model's current depth 4 (recursions of universal), got 4");
        CompressorConformance.refuses(compressor, universal, Map.of("recursions", "6"), harness, "got 6");
        CompressorConformance.refuses(compressor, universal, Map.of("recursions", "0"), harness,
                "setting 'recursions' must be an integer in [1, 256], got '0'");
    }

    /** The compressed model computes what the source computes when asked for {@code depth}. */
    private void assertSameLogitsAsTheSourceAtDepth(ModelSnapshot source, Compression result, int depth) {
        float[][] expected = ((RecurrentModel) harness.load(source)).atDepth(depth).nextTokenLogits(Models.PROBE);
        float[][] actual = harness.load(result.model()).nextTokenLogits(Models.PROBE);
        for (int row = 0; row < expected.length; row++) {
            for (int i = 0; i < expected[row].length; i++) {
                assertThat(actual[row][i]).isCloseTo(expected[row][i], within(1e-5f));
            }
        }
    }
}
