package org.recursa.plugins.vanilla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelInfo;
import org.recursa.tck.ArchitectureConformance;

class VanillaArchitectureTest {

    private final VanillaArchitecture architecture = new VanillaArchitecture();

    @Test
    void conformsToTheArchitectureContract(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verify(architecture, Map.of("d_model", "8", "heads", "2", "ffn", "12", "layers", "2"),
                scratch);
    }

    @Test
    void reportsUnsharedLayersAndGpt2SizedParameterCounts() {
        var config = architecture.schema().defaults();
        ModelInfo info = ArchitectureConformance.build(architecture, config, 1).info();
        assertThat(info.uniqueLayers()).isEqualTo(4);
        assertThat(info.effectiveLayers()).isEqualTo(4);
        // 4 blocks of 12*128^2 + 13*128 + 512 ... computed independently: per block 198,272; plus embeddings and head
        long perBlock = 4L * 128 * 128 + 4 * 128 + 2L * 128 * 512 + 512 + 128 + 4 * 128;
        long embeddings = 7L * 128 + 6L * 128;
        long head = 128L * 7 + 7 + 2 * 128;
        assertThat(info.parameters()).isEqualTo(4 * perBlock + embeddings + head);
    }

    @Test
    void headsMustDivideTheWidth() {
        assertThatThrownBy(() -> architecture.build(new org.recursa.api.model.ModelSpec(7, 6, 1),
                architecture.schema().resolve(Map.of("heads", "3"))))
                .hasMessage("setting 'heads' (3) must divide 'd_model' (128)");
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture,
                Map.of(),
                Map.of("d_model", "16", "heads", "2", "ffn", "24", "layers", "3"),
                Map.of("positions", "sinusoidal"), Map.of("positions", "rope"), Map.of("positions", "none"));
    }

    @Test
    void conformsWithRotaryAndWithoutPositions(@TempDir Path scratch) throws Exception {
        for (String positions : new String[] {"rope", "none"}) {
            ArchitectureConformance.verify(architecture, Map.of("d_model", "8", "heads", "2", "ffn", "12", "layers",
                    "2", "positions", positions), scratch);
        }
    }

    @Test
    void onlyAnEncodingAddedToTheEmbeddingsTellsRepeatedTokensApart() {
        // With every token the same, attention mixes equal values; only a position table added to the embeddings
        // (learned or sinusoidal) makes the outputs at different positions differ.
        int[][] same = {{3, 3, 3, 3, 3}};
        for (String positions : new String[] {"learned", "sinusoidal", "rope", "none"}) {
            var model = ArchitectureConformance.build(architecture, architecture.schema().resolve(Map.of("d_model",
                    "16", "heads", "2", "ffn", "24", "positions", positions)), 1);
            var logits = model.forward(org.recursa.engine.Tape.inference(), org.recursa.engine.TokenBatch.of(same, 0))
                    .logits().value();
            double spread = logits.max(0).sub(logits.min(0)).maxNumber().doubleValue();
            if (positions.equals("learned") || positions.equals("sinusoidal")) {
                assertThat(spread).as(positions).isGreaterThan(1e-4);
            } else {
                assertThat(spread).as(positions).isLessThan(1e-5);
            }
        }
    }

    @Test
    void thePyTorchMirrorHasLearnedPositionsOnly() {
        assertThat(architecture.pytorchMirror(architecture.schema().defaults())).isPresent();
        assertThat(architecture.pytorchMirror(architecture.schema().resolve(Map.of("positions", "rope")))).isEmpty();
    }
}
