package org.recursa.engine.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.nn.LayerNorm;
import org.recursa.engine.optim.AdamW;

/** The description reads the constants the engine computes with and the versions of the jars it was loaded from. */
class EngineDescriptionTest {

    @Test
    void theConstantsAreTheOnesTheEngineUses() {
        EngineDescription engine = EngineDescription.describe();
        assertThat(engine.adamBeta1()).isEqualTo(AdamW.Settings.defaults().beta1()).isEqualTo(0.9);
        assertThat(engine.adamBeta2()).isEqualTo(AdamW.Settings.defaults().beta2()).isEqualTo(0.99);
        assertThat(engine.adamEps()).isEqualTo(AdamW.Settings.defaults().eps()).isEqualTo(1e-8);
        assertThat(engine.initStd()).isEqualTo(0.02);
        assertThat(engine.layerNormEps()).isEqualTo(LayerNorm.EPS).isEqualTo(1e-5);
        assertThat(engine.precision()).isEqualTo("FLOAT");
        assertThat(engine.kernelThreads()).isPositive();
        assertThat(engine.blas()).isEqualTo(EngineDescription.blasLibrary()).contains("libopenblas");
    }

    @Test
    void libraryVersionsAreThoseOfTheJarsOnTheClassPath() {
        EngineDescription engine = EngineDescription.describe();
        assertThat(engine.nd4j()).isEqualTo(versionDirectoryOf(Nd4j.class)).isNotEqualTo(EngineDescription.UNKNOWN);
        assertThat(engine.javacpp()).isEqualTo(versionDirectoryOf(Loader.class));
        assertThat(engine.openblas()).isEqualTo(versionDirectoryOf(openblas.class));
        assertThat(EngineDescription.libraryVersion("org.example", "absent")).isEqualTo(EngineDescription.UNKNOWN);
    }

    /** A Maven repository keeps each jar in a directory named after its version. */
    private static String versionDirectoryOf(Class<?> type) {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
        return jar.getParent().getFileName().toString();
    }
}
