package org.recursa.examples.looped;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Precision;
import org.recursa.engine.Var;
import org.recursa.tck.ArchitectureConformance;

/** What an outside developer runs before publishing: the TCK, and a gradient check of the plugin's own op. */
class LoopedArchitectureTest {

    @Test
    void meetsTheArchitectureConformanceKit(@TempDir Path scratch) throws Exception {
        LoopedArchitecture architecture = new LoopedArchitecture();
        ArchitectureConformance.verify(architecture, Map.of("d_model", "8", "heads", "2", "ffn", "12", "loops", "2"),
                scratch);
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture, Map.of(), Map.of("loops", "5"));
    }

    @Test
    void softsignsBackwardPassMatchesFiniteDifferences() {
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            Var x = GradientCheck.random(new SplittableRandom(3), 2, 4, 5);
            GradientCheck.check("softsign", GradientCheck.weighted(t -> Softsign.apply(t, x), 7), List.of(x));
        } finally {
            Precision.use(previous);
        }
    }
}
