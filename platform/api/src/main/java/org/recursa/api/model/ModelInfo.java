package org.recursa.api.model;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Size and cost of a model, reported by every architecture so that runs can be compared fairly.
 *
 * @param architecture    the id of the architecture that built the model
 * @param vocabularySize  number of token ids the model reads and predicts
 * @param maxLength       longest sequence the model accepts
 * @param parameters      number of trainable parameters (shared weights counted once)
 * @param uniqueLayers    distinct transformer layers (weight sets)
 * @param effectiveLayers layers applied per token at full depth (unique layers times recursions)
 * @param flopsPerToken   forward floating-point operations per token at full depth
 * @param capabilities    what the model offers samplers beyond logits (since 0.3.0)
 */
public record ModelInfo(String architecture, int vocabularySize, int maxLength, long parameters,
                        int uniqueLayers, int effectiveLayers, long flopsPerToken, Set<Capability> capabilities) {

    /** Checks for nulls and impossible sizes; copies the capabilities. */
    public ModelInfo {
        Objects.requireNonNull(architecture, "architecture");
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        if (vocabularySize <= 0 || maxLength <= 0 || parameters < 0 || uniqueLayers < 0
                || effectiveLayers < uniqueLayers || flopsPerToken < 0) {
            throw new IllegalArgumentException("inconsistent model info: vocabularySize=" + vocabularySize
                    + " maxLength=" + maxLength + " parameters=" + parameters + " uniqueLayers=" + uniqueLayers
                    + " effectiveLayers=" + effectiveLayers + " flopsPerToken=" + flopsPerToken);
        }
    }

    /** A model with no capabilities beyond logits. */
    public ModelInfo(String architecture, int vocabularySize, int maxLength, long parameters, int uniqueLayers,
                     int effectiveLayers, long flopsPerToken) {
        this(architecture, vocabularySize, maxLength, parameters, uniqueLayers, effectiveLayers, flopsPerToken,
                Set.of());
    }

    /**
     * Whether the model has {@code capability}.
     *
     * @since 0.3.0
     */
    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /**
     * This description with {@code capabilities} instead.
     *
     * @since 0.3.0
     */
    public ModelInfo withCapabilities(Set<Capability> capabilities) {
        return new ModelInfo(architecture, vocabularySize, maxLength, parameters, uniqueLayers, effectiveLayers,
                flopsPerToken, capabilities);
    }
}
