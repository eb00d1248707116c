package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.model.Tensor;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.CompressionHarness;
import org.recursa.tck.CompressorConformance;

class ${className}CompressorTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12", "layers", "2");

    private final ${className}Compressor compressor = new ${className}Compressor();
    // As `recursa compress` does: the installed architectures, the TCK's tiny vocabulary and length.
    private final CompressionHarness context = CompressionHarness.tiny(new VanillaArchitecture());
    private final ModelSnapshot source = context.snapshot("vanilla", TINY, 1);

    /**
     * The compressor TCK on a vanilla transformer with random weights: the source untouched, a report that matches
     * the weights, a model its architecture builds, loads and checkpoints bit for bit.
     */
    @Test
    void passesTheCompressorConformanceKit(@TempDir Path scratch) throws Exception {
        Compression result = CompressorConformance.verify(compressor, source, Map.of("sparsity", "0.75"), context,
                scratch);
        assertThat(result.report().bytesAfter()).isLessThan(result.report().bytesBefore());
        CompressorConformance.refuses(compressor, source, Map.of("sparsity", "1.5"), context, "sparsity");
    }

    @Test
    void zeroesTheSmallestWeightsOfEveryMatrixOnly() {
        Compression result = compressor.compress(source, compressor.schema().resolve(Map.of("sparsity", "0.5")),
                context);
        source.weights().tensors().forEach((name, before) -> {
            Tensor after = result.model().weights().tensors().get(name);
            if (!${className}Compressor.prunable(name, before)) {
                assertThat(after).as(name).isEqualTo(before);
                return;
            }
            float largestZeroed = 0;
            float smallestKept = Float.MAX_VALUE;
            int zeros = 0;
            for (int i = 0; i < before.size(); i++) {
                float magnitude = Math.abs(before.values()[i]);
                if (after.values()[i] == 0f) {
                    zeros++;
                    largestZeroed = Math.max(largestZeroed, magnitude);
                } else {
                    assertThat(after.values()[i]).as(name).isEqualTo(before.values()[i]);
                    smallestKept = Math.min(smallestKept, magnitude);
                }
            }
            assertThat(zeros).as(name).isEqualTo(before.size() / 2);
            assertThat(largestZeroed).as(name).isLessThanOrEqualTo(smallestKept);
        });
    }
}
