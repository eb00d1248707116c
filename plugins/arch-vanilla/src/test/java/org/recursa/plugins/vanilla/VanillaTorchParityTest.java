package org.recursa.plugins.vanilla;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.recursa.engine.Precision;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;
import org.recursa.tck.TorchReference;

/** Logits, loss and every gradient against PyTorch on the same weights (skipped, with the reason, without it). */
class VanillaTorchParityTest {

    @Test
    void matchesPyTorchInDoublePrecision(@TempDir Path scratch) throws Exception {
        Optional<String> missing = TorchReference.unavailable();
        assumeTrue(missing.isEmpty(), () -> "PyTorch parity skipped: " + missing.orElseThrow());
        VanillaArchitecture architecture = new VanillaArchitecture();
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            var config = architecture.schema().resolve(Map.of("d_model", "16", "heads", "2", "ffn", "24", "layers", "2"));
            TrainableModel model = ArchitectureConformance.build(architecture, config, 11);
            TorchReference.randomizeWeights(model, 12, 0.3);
            TorchReference.assertMatches(architecture, config, model, new int[][] {{3, 4, 5, 6, 1, 2}, {5, 3, 1}},
                    TorchReference.locate("bench/torch_reference.py"), scratch);
        } finally {
            Precision.use(previous);
        }
    }
}
