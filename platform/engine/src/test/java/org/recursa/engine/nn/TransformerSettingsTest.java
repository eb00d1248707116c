package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;

/** The settings every transformer shares: their place in a schema, and how an architecture adapts one. */
class TransformerSettingsTest {

    private static final Setting LAYERS = Setting.ofInt("layers", 4, 1, 64, "blocks");
    private static final Setting ACT = Setting.ofBoolean("act", false, "halting");

    @Test
    void theSharedSettingsFrameTheArchitecturesOwn() {
        ConfigSchema schema = TransformerSettings.schema(LAYERS, ACT);
        assertThat(schema.settings()).containsExactly(TransformerSettings.D_MODEL, TransformerSettings.HEADS,
                TransformerSettings.FFN, TransformerSettings.POSITIONS, LAYERS, ACT, TransformerSettings.DROPOUT);
        Config defaults = schema.defaults();
        assertThat(defaults.getInt("d_model")).isEqualTo(128);
        assertThat(defaults.getInt("heads")).isEqualTo(4);
        assertThat(defaults.getInt("ffn")).isEqualTo(512);
        assertThat(defaults.getDouble("dropout")).isEqualTo(0.0);
        assertThatThrownBy(() -> schema.resolve(Map.of("dropout", "0.95"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("setting 'dropout' must be a number in [0.0, 0.9]");
    }

    @Test
    void anArchitectureMayChangeADefaultOrDescriptionInPlace() {
        Setting dropout = TransformerSettings.withDefault(TransformerSettings.DROPOUT, "0.1");
        Setting ffn = TransformerSettings.withDescription(TransformerSettings.FFN, "feed-forward width of the shared "
                + "blocks");
        ConfigSchema schema = TransformerSettings.schema(LAYERS, dropout, ffn);
        assertThat(schema.settings()).containsExactly(TransformerSettings.D_MODEL, TransformerSettings.HEADS, ffn,
                TransformerSettings.POSITIONS, LAYERS, dropout);
        assertThat(schema.defaults().getDouble("dropout")).isEqualTo(0.1);
        assertThat(dropout.max()).isEqualTo(0.9);
        assertThat(ffn.defaultValue()).isEqualTo("512");
        assertThatThrownBy(() -> TransformerSettings.withDefault(TransformerSettings.DROPOUT, "0.95"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> TransformerSettings.schema(dropout, TransformerSettings.DROPOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replaced twice");
    }
}
