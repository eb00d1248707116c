package org.recursa.plugins.loopformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.recursa.engine.Precision;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;
import org.recursa.tck.TorchReference;

/**
 * Logits, loss and every gradient against bench/torch_train.py's mirror in double precision (skipped, with the
 * reason, without PyTorch): a pass along a non-uniform schedule, and a training pass with the short trajectory's
 * cross-entropy and the consistency loss. Weights are randomised, so the zero-initialised modulation is not zero.
 */
class LoopformerTorchParityTest {

    private static final Map<String, String> SHAPE = Map.of("d_model", "16", "heads", "2", "ffn", "24",
            "blocks", "2", "loops", "4", "fourier_dims", "10");
    private static final int[][] ROWS = {{3, 4, 5, 6, 1, 2}, {5, 3, 1}};

    private final LoopformerArchitecture architecture = new LoopformerArchitecture();

    @BeforeEach
    void needsPyTorch() {
        Optional<String> missing = TorchReference.unavailable();
        assumeTrue(missing.isEmpty(), () -> "PyTorch parity skipped: " + missing.orElseThrow());
    }

    @Test
    void aPassAlongACoarseToFineSchedule(@TempDir Path scratch) throws Exception {
        // without the shortcut a training pass runs the configured schedule, as an inference pass does
        var agreement = compare(Map.of("shortcut", "false", "schedule", "0.5,0.25,0.125,0.125"), scratch);
        assertThat(agreement.auxLosses()).isEmpty();
    }

    @Test
    void aTrainingPassWithTheShortTrajectoryAndTheConsistencyLoss(@TempDir Path scratch) throws Exception {
        var agreement = compare(Map.of("short_schedule", "0.5,0.25,0.25", "short_weight", "0.3",
                "consistency_weight", "0.7"), scratch);
        assertThat(agreement.auxLosses()).containsExactly("consistency");
    }

    private TorchReference.Agreement compare(Map<String, String> settings, Path scratch) throws Exception {
        Map<String, String> all = new HashMap<>(SHAPE);
        all.putAll(settings);
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            var config = architecture.schema().resolve(all);
            TrainableModel model = ArchitectureConformance.build(architecture, config, 11);
            TorchReference.randomizeWeights(model, 12, 0.3);
            return TorchReference.assertMatches(architecture, config, model, ROWS,
                    TorchReference.locate("bench/torch_reference.py"), scratch);
        } finally {
            Precision.use(previous);
        }
    }
}
