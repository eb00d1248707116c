package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.tck.ArchitectureConformance;

class ${className}ArchitectureTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12", "loops", "2");

    private final ${className}Architecture architecture = new ${className}Architecture();

    /**
     * The architecture TCK's checks of built models, in seconds: size and estimates, determinism, causality and
     * padding, checkpoints, incremental decoding and the depth knob. ArchitectureConformance.verify adds
     * finite-difference gradient checks of the whole model, which take minutes: run it before you publish.
     */
    @Test
    void passesTheArchitectureConformanceKit(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verifyModels(architecture, TINY, scratch);
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture, Map.of(), Map.of("loops", "7"));
    }

    @Test
    void loopsAreTheDepthAndShareOneBlock() {
        ModelSpec spec = new ModelSpec(11, 16, 1);
        var shallow = architecture.build(spec, architecture.schema().resolve(TINY));
        var deep = architecture.build(spec, architecture.schema().resolve(Map.of("d_model", "8", "heads", "2",
                "ffn", "12", "loops", "6")));
        assertThat(((RecurrentModel) deep).defaultDepth()).isEqualTo(6);
        assertThat(deep.info().parameters()).as("more loops, no more weights").isEqualTo(shallow.info().parameters());
        assertThat(deep.info().flopsPerToken()).isGreaterThan(shallow.info().flopsPerToken());
    }
}
