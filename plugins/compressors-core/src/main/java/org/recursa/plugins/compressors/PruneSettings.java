package org.recursa.plugins.compressors;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;

/**
 * The prune compressor's settings, checked.
 *
 * @param sparsity  the fraction of prunable values (or of heads or units, when structured) to remove, in [0, 1)
 * @param global    one ranking over all prunable weights rather than one per tensor (per layer, when structured)
 * @param structure what goes together: single values, whole attention heads or whole feed-forward units
 */
record PruneSettings(double sparsity, boolean global, Structure structure) {

    /** What a pruned unit is. */
    enum Structure {
        /** Single values. */
        NONE,
        /** An attention head: its q, k and v rows and its output-projection columns. */
        HEADS,
        /** A feed-forward hidden unit: its row of the first MLP matrix and its column of the second. */
        FFN
    }

    // The schema's ranges are inclusive, and 1 (everything pruned) is no compression one can evaluate; so sparsity
    // carries no range there and is checked here, with the half-open range in the message.
    static final ConfigSchema SCHEMA = ConfigSchema.of(
            new Setting("sparsity", Setting.Type.DOUBLE, "0.5",
                    "fraction of prunable weights (heads or units, when structured) to zero, in [0, 1)",
                    null, null, List.of()),
            Setting.ofChoice("scope", "global", List.of("global", "layer"),
                    "one magnitude ranking over all prunable weights, or one per tensor (per layer when structured)"),
            Setting.ofChoice("structure", "none", List.of("none", "heads", "ffn"),
                    "prune single values, whole attention heads, or whole feed-forward units"));

    /** Why the sparsity is out of range, or empty when it is in [0, 1). */
    static Optional<String> invalid(Config config) {
        double sparsity = config.getDouble("sparsity");
        return sparsity >= 0 && sparsity < 1 ? Optional.empty()
                : Optional.of("setting 'sparsity' must be a number in [0, 1), got '" + sparsity + "'");
    }

    /** The settings of a config whose sparsity passed {@link #invalid}. */
    static PruneSettings of(Config config) {
        return new PruneSettings(config.getDouble("sparsity"), config.getString("scope").equals("global"),
                Structure.valueOf(config.getString("structure").toUpperCase(Locale.ROOT)));
    }

    /**
     * How many of {@code count} values to prune: the nearest whole number to sparsity x count, so a tensor ends within
     * half a value of the target.
     */
    long values(long count) {
        return Math.round(sparsity * count);
    }

    /**
     * How many of {@code count} heads or units to prune: the fewest whose fraction reaches the sparsity (a head is
     * too coarse to round down silently). The small tolerance keeps 0.3 x 10 at 3.
     */
    int units(int count) {
        return (int) Math.min(count, Math.ceil(sparsity * count - 1e-9));
    }
}
