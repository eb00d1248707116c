package org.recursa.plugins.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;
import org.recursa.tck.CompressionHarness;
import org.recursa.tck.CompressorConformance;

class IdentityCompressorTest {

    private final IdentityCompressor compressor = new IdentityCompressor();

    private static ModelSnapshot source() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("embed", Tensor.of(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("block.0.q", new Tensor(new int[] {5}, new float[] {1, 0, -1, 0.5f, 2}, Storage.SPARSE));
        return new ModelSnapshot("vanilla", Map.of("layers", 1), new ModelInfo("vanilla", 3, 4, 11, 1, 1, 22),
                new WeightSet(tensors));
    }

    @Test
    void returnsTheSameModelAndAReportWithNothingSaved() {
        ModelSnapshot source = source();

        Compression result = compressor.compress(source, compressor.schema().defaults(), CompressionHarness.tiny());

        assertThat(result.model()).isEqualTo(source);
        assertThat(result.report().parametersBefore()).isEqualTo(11);
        assertThat(result.report().parametersAfter()).isEqualTo(11);
        // 6 float32 values, and a sparse vector of 5: a 1-byte bitmap and 4 non-zero float32 values
        assertThat(result.report().bytesBefore()).isEqualTo(6 * 4 + 1 + 4 * 4);
        assertThat(result.report().bytesAfter()).isEqualTo(41);
        assertThat(result.report().ratio()).isEqualTo(1.0);
        assertThat(result.report().summary()).isEqualTo("identity: model unchanged (11 parameters, 41 bytes)");
        CompressorConformance.changesNothing(compressor, source, CompressionHarness.tiny());
    }
}
