package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.List;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;

/**
 * The settings every transformer architecture shares, declared once: {@code d_model}, {@code heads}, {@code ffn},
 * {@code positions} and {@code dropout}. {@link #schema} puts them around an architecture's own settings, so that every architecture
 * lists them in the same order with the same defaults, ranges and descriptions.
 *
 * @since 0.4.0
 */
public final class TransformerSettings {

    /** Model width C. */
    public static final Setting D_MODEL = Setting.ofInt("d_model", 128, 8, 4096, "model width");
    /** Attention heads; {@link Block.Shape#fromConfig} checks that they divide the width. */
    public static final Setting HEADS = Setting.ofInt("heads", 4, 1, 64, "attention heads (must divide d_model)");
    /** Feed-forward width of the blocks' MLPs. */
    public static final Setting FFN = Setting.ofInt("ffn", 512, 8, 16384, "feed-forward width");
    /** Drop probability of the blocks' two residual branches while training. */
    public static final Setting DROPOUT = Setting.ofDouble("dropout", 0.0, 0.0, 0.9,
            "dropout on residual branches during training");

    /** How positions are encoded ({@link PositionEncoding}); since 0.4.0. */
    public static final Setting POSITIONS = PositionEncoding.SETTING;

    private static final List<Setting> SHARED = List.of(D_MODEL, HEADS, FFN, POSITIONS, DROPOUT);

    private TransformerSettings() {
    }

    /**
     * {@code d_model}, {@code heads}, {@code ffn}, {@code positions}, then the architecture's own settings in the
     * order given, then
     * {@code dropout}: the order help and a run's recorded config show. An own setting with the key of a shared
     * one takes that one's place, for an architecture that needs another default or description
     * ({@link #withDefault}, {@link #withDescription}).
     */
    public static ConfigSchema schema(Setting... own) {
        List<Setting> replacements = new ArrayList<>();
        List<Setting> rest = new ArrayList<>();
        for (Setting setting : own) {
            boolean replaces = SHARED.stream().anyMatch(shared -> shared.key().equals(setting.key()));
            (replaces ? replacements : rest).add(setting);
        }
        if (replacements.stream().map(Setting::key).distinct().count() != replacements.size()) {
            throw new IllegalArgumentException("a shared setting is replaced twice: " + replacements);
        }
        List<Setting> settings = new ArrayList<>();
        for (Setting shared : SHARED.subList(0, 4)) {
            settings.add(replacing(shared, replacements));
        }
        settings.addAll(rest);
        settings.add(replacing(DROPOUT, replacements));
        return ConfigSchema.of(settings.toArray(Setting[]::new));
    }

    /** {@code setting} with another default, e.g. {@code withDefault(DROPOUT, "0.1")}; the default must parse. */
    public static Setting withDefault(Setting setting, String defaultValue) {
        return new Setting(setting.key(), setting.type(), defaultValue, setting.description(), setting.min(),
                setting.max(), setting.choices());
    }

    /** {@code setting} with another description, where an architecture means something narrower by it. */
    public static Setting withDescription(Setting setting, String description) {
        return new Setting(setting.key(), setting.type(), setting.defaultValue(), description, setting.min(),
                setting.max(), setting.choices());
    }

    private static Setting replacing(Setting shared, List<Setting> replacements) {
        return replacements.stream().filter(s -> s.key().equals(shared.key())).findFirst().orElse(shared);
    }
}
