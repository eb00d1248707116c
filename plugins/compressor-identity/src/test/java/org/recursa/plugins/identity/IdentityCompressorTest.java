package org.recursa.plugins.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.compress.Compression;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

class IdentityCompressorTest {

    private final IdentityCompressor compressor = new IdentityCompressor();

    @Test
    void returnsEqualWeightsAndAReportWithNothingSaved() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("embed", Tensor.of(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("block.0.q", new Tensor(new int[] {5}, new float[] {1, 0, -1, 0.5f, 2}, 4));
        WeightSet weights = new WeightSet(tensors);

        Compression result = compressor.compress(weights, compressor.schema().defaults());

        assertThat(result.weights()).isEqualTo(weights);
        assertThat(result.weights().tensors().keySet()).containsExactly("embed", "block.0.q");
        assertThat(result.report().parametersBefore()).isEqualTo(11);
        assertThat(result.report().parametersAfter()).isEqualTo(11);
        assertThat(result.report().bytesBefore()).isEqualTo(6 * 4 + 3); // 5 values x 4 bits = 20 bits -> 3 bytes
        assertThat(result.report().bytesAfter()).isEqualTo(27);
        assertThat(result.report().ratio()).isEqualTo(1.0);
        assertThat(result.report().summary()).isEqualTo("identity: weights unchanged (11 parameters, 27 bytes)");
        assertThat(weights.tensors().get("embed").values()).containsExactly(1, 2, 3, 4, 5, 6);
    }
}
