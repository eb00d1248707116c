package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;

/** The position encodings a transformer's settings choose from. */
class PositionEncodingTest {

    @Test
    void theSinusoidalTableIsSineOnEvenAndCosineOnOddFeatures() {
        INDArray table = PositionEncoding.sinusoid(3, 4);
        assertThat(table.getRow(0).toDoubleVector()).containsExactly(0, 1, 0, 1);
        assertThat(table.getDouble(2, 0)).isCloseTo(Math.sin(2), within(1e-6));
        assertThat(table.getDouble(2, 1)).isCloseTo(Math.cos(2), within(1e-6));
        assertThat(table.getDouble(2, 2)).isCloseTo(Math.sin(2 / 100.0), within(1e-6));   // 10000^(2/4) = 100
        assertThat(table.getDouble(2, 3)).isCloseTo(Math.cos(2 / 100.0), within(1e-6));
    }

    @Test
    void theSettingChoosesTheEncodingAndDefaultsToLearned() {
        ConfigSchema schema = TransformerSettings.schema();
        assertThat(Block.Shape.fromConfig(schema.defaults()).positions()).isEqualTo(PositionEncoding.LEARNED);
        assertThat(Block.Shape.fromConfig(schema.resolve(Map.of("positions", "rope"))).positions())
                .isEqualTo(PositionEncoding.ROPE);
        assertThat(Block.Shape.fromConfig(ConfigSchema.of(TransformerSettings.D_MODEL, TransformerSettings.HEADS,
                TransformerSettings.FFN).defaults()).positions()).as("an architecture without the setting")
                .isEqualTo(PositionEncoding.LEARNED);
        assertThatThrownBy(() -> schema.resolve(Map.of("positions", "alibi"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("learned", "sinusoidal", "rope", "none");
    }

    @Test
    void rotaryNeedsAnEvenHeadSize() {
        assertThatThrownBy(() -> Block.Shape.fromConfig(TransformerSettings.schema().resolve(Map.of("positions",
                "rope", "d_model", "12", "heads", "4"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'positions' = rope rotates pairs of features, so the head size d_model / heads "
                        + "must be even, got 12 / 4 = 3");
    }
}
