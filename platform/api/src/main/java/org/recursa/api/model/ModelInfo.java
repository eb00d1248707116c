package org.recursa.api.model;

import java.util.Objects;

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
 */
public record ModelInfo(String architecture, int vocabularySize, int maxLength, long parameters,
                        int uniqueLayers, int effectiveLayers, long flopsPerToken) {

    /** Checks for nulls and impossible sizes. */
    public ModelInfo {
        Objects.requireNonNull(architecture, "architecture");
        if (vocabularySize <= 0 || maxLength <= 0 || parameters < 0 || uniqueLayers < 0
                || effectiveLayers < uniqueLayers || flopsPerToken < 0) {
            throw new IllegalArgumentException("inconsistent model info: vocabularySize=" + vocabularySize
                    + " maxLength=" + maxLength + " parameters=" + parameters + " uniqueLayers=" + uniqueLayers
                    + " effectiveLayers=" + effectiveLayers + " flopsPerToken=" + flopsPerToken);
        }
    }
}
