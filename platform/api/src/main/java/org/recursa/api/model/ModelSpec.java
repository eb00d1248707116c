package org.recursa.api.model;

/**
 * What a task tells an architecture about the data: how many token ids and how long a sequence.
 *
 * @param vocabularySize number of token ids, special tokens included
 * @param maxLength      longest sequence (input, separator, output, end) the model must accept
 * @param seed           seed for weight initialisation
 */
public record ModelSpec(int vocabularySize, int maxLength, long seed) {

    /** Checks that the sizes are positive. */
    public ModelSpec {
        if (vocabularySize <= 0 || maxLength <= 0) {
            throw new IllegalArgumentException("vocabularySize and maxLength must be positive, got "
                    + vocabularySize + " and " + maxLength);
        }
    }
}
