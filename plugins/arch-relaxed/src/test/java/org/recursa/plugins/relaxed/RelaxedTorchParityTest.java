package org.recursa.plugins.relaxed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.recursa.api.Config;
import org.recursa.engine.Precision;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;
import org.recursa.tck.TorchReference;

/**
 * Logits, loss and every gradient against bench/torch_train.py's {@code Relaxed} on the same weights, in double
 * precision (skipped, with the reason, without PyTorch). With {@code lora_qkv=separate} the mirror computes q, k and
 * v as three projections, each from its rows of the shared matrix and with its own LoRA, as the paper's models have
 * them; Recursa keeps the packed product and adds the three corrections side by side.
 */
class RelaxedTorchParityTest {

    private static final int[][] ROWS = {{3, 4, 5, 6, 1, 2}, {5, 3, 1, 6}, {2, 6}};
    private final RelaxedArchitecture architecture = new RelaxedArchitecture();

    @Test
    void oneLoraOnThePackedQkvMatrixMatchesPyTorch(@TempDir Path scratch) throws Exception {
        compare(Map.of("lora_qkv", "fused"), scratch);
    }

    @Test
    void aLoraPerQkvProjectionMatchesPyTorch(@TempDir Path scratch) throws Exception {
        compare(Map.of("lora_qkv", "separate"), scratch);
    }

    @Test
    void fullRankLorasPerProjectionOnOneLayerLoopedThriceMatchPyTorch(@TempDir Path scratch) throws Exception {
        compare(Map.of("lora_qkv", "separate", "shared_layers", "1", "loops", "3", "lora_rank", "16"), scratch);
    }

    @Test
    void declaresAMirrorForLearnedPositionsWithoutDropoutOnly() {
        assertThat(architecture.pytorchMirror(architecture.schema().defaults())).hasValueSatisfying(mirror ->
                assertThat(mirror).containsEntry("arch", "relaxed").containsEntry("lora_qkv", "fused"));
        assertThat(architecture.pytorchMirror(architecture.schema().resolve(Map.of("positions", "rope")))).isEmpty();
        assertThat(architecture.pytorchMirror(architecture.schema().resolve(Map.of("dropout", "0.1")))).isEmpty();
    }

    private void compare(Map<String, String> overrides, Path scratch) throws Exception {
        Optional<String> missing = TorchReference.unavailable();
        assumeTrue(missing.isEmpty(), () -> "PyTorch parity skipped: " + missing.orElseThrow());
        Map<String, String> settings = new HashMap<>(Map.of("d_model", "16", "heads", "2", "ffn", "24",
                "shared_layers", "2", "loops", "2", "lora_rank", "3"));
        settings.putAll(overrides);
        Config config = architecture.schema().resolve(settings);
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            TrainableModel model = ArchitectureConformance.build(architecture, config, 11);
            TorchReference.randomizeWeights(model, 12, 0.3);                 // every LoRA B non-zero
            TorchReference.Agreement agreement = TorchReference.assertMatches(architecture, config, model, ROWS,
                    TorchReference.locate("bench/torch_reference.py"), scratch);
            System.out.printf("relaxed %s vs PyTorch %s: largest relative difference %.2e (%s)%n", overrides,
                    agreement.torch(), agreement.largest(), agreement.where());
            assertThat(agreement.largest()).isLessThanOrEqualTo(TorchReference.TOLERANCE);
        } finally {
            Precision.use(previous);
        }
    }
}
