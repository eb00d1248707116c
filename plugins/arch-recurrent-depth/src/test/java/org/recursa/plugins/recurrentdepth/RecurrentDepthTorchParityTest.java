package org.recursa.plugins.recurrentdepth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
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
 * Logits, loss and every gradient against bench/torch_train.py's RecurrentDepth on the same weights, from a zero
 * initial state (skipped, with the reason, without PyTorch). TorchReference runs a pass on a training tape without
 * a training step, which runs mean_recurrence recursions and back-propagates through the last backprop_depth of them;
 * the mirror does the same in training mode by detaching the state.
 */
class RecurrentDepthTorchParityTest {

    private static final int[][] ROWS = {{3, 4, 5, 6, 1, 2}, {5, 3, 1}};

    @Test
    void matchesPyTorchBackPropagatingThroughEveryRecursion(@TempDir Path scratch) throws Exception {
        assertMatches(Map.of("mean_recurrence", "3", "backprop_depth", "3"), scratch);
    }

    @Test
    void matchesPyTorchWithTruncatedBackPropagation(@TempDir Path scratch) throws Exception {
        assertMatches(Map.of("mean_recurrence", "4", "backprop_depth", "2", "prelude_layers", "2"), scratch);
    }

    private static void assertMatches(Map<String, String> overrides, Path scratch) throws Exception {
        Optional<String> missing = TorchReference.unavailable();
        assumeTrue(missing.isEmpty(), () -> "PyTorch parity skipped: " + missing.orElseThrow());
        RecurrentDepthArchitecture architecture = new RecurrentDepthArchitecture();
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            java.util.Map<String, String> settings = new java.util.HashMap<>(Map.of("d_model", "16", "heads", "2",
                    "ffn", "24", "init_state", "zeros"));
            settings.putAll(overrides);
            Config config = architecture.schema().resolve(settings);
            TrainableModel model = ArchitectureConformance.build(architecture, config, 11);
            TorchReference.randomizeWeights(model, 12, 0.3);
            TorchReference.Agreement agreement = TorchReference.assertMatches(architecture, config, model, ROWS,
                    TorchReference.locate("bench/torch_reference.py"), scratch);
            assertThat(agreement.largest()).isLessThanOrEqualTo(TorchReference.TOLERANCE);
        } finally {
            Precision.use(previous);
        }
    }
}
