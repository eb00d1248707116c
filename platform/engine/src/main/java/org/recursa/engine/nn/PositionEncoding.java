package org.recursa.engine.nn;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.Config;
import org.recursa.api.Setting;
import org.recursa.engine.Precision;

/**
 * How a model knows where a token is, the setting {@code positions} of every first-party architecture, so that
 * length generalisation can be studied across encodings:
 * <ul>
 *   <li>{@code learned}: a trained (T_max, C) table added to the token embeddings (GPT-2; the default). Positions
 *       past the longest training sequence were never trained.</li>
 *   <li>{@code sinusoidal}: the fixed table of "Attention Is All You Need", {@code sin(t / 10000^(2i/C))} on even
 *       and {@code cos} on odd features, added to the embeddings; defined at every position.</li>
 *   <li>{@code rope}: rotary embeddings on every attention's queries and keys (Su et al.), nothing added to the
 *       embeddings; attention scores depend on relative positions only.</li>
 *   <li>{@code none} (NoPE): no position signal; causal attention alone lets a decoder infer positions.</li>
 * </ul>
 *
 * @since 0.4.0
 */
public enum PositionEncoding {
    LEARNED, SINUSOIDAL, ROPE, NONE;

    /** The setting, with {@code learned} as default, for an architecture's schema ({@link TransformerSettings}). */
    public static final Setting SETTING = Setting.ofChoice("positions", "learned",
            List.of("learned", "sinusoidal", "rope", "none"),
            "position signal: learned table, sinusoidal table, rotary (on q and k) or none (causal attention only)");

    /** The setting's value in an architecture's settings, {@code learned} when it has no such setting. */
    public static PositionEncoding fromConfig(Config config) {
        Object value = config.asMap().get(SETTING.key());
        return value == null ? LEARNED : of(value.toString());
    }

    /** The encoding named as in the setting, e.g. {@code rope}. */
    public static PositionEncoding of(String name) {
        return Arrays.stream(values()).filter(e -> e.id().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown position encoding '" + name + "'; choose one of "
                        + SETTING.choices()));
    }

    /** The setting's value for this encoding. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the encoding adds a (T, C) table to the token embeddings (and re-injects it, in Universal). */
    public boolean addsToEmbeddings() {
        return this == LEARNED || this == SINUSOIDAL;
    }

    /**
     * The sinusoidal table's first {@code length} rows, (T, C) in the current {@link Precision}.
     *
     * @param width C, even
     */
    public static INDArray sinusoid(int length, int width) {
        double[] values = new double[length * width];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < width; i += 2) {
                double angle = t / Math.pow(10_000, (double) i / width);
                values[t * width + i] = Math.sin(angle);
                if (i + 1 < width) {
                    values[t * width + i + 1] = Math.cos(angle);
                }
            }
        }
        return Nd4j.create(values, new long[] {length, width}, 'c').castTo(Precision.dataType());
    }
}
