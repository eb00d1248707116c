package org.recursa.api.decode;

import org.recursa.api.task.Vocabulary;

/**
 * The vocabulary's special token ids a sampler must know: padding (never generated), the separator between input
 * and output, and the end token that stops a row.
 *
 * @param pad       padding id
 * @param separator separator id
 * @param end       end-of-output id
 * @since 0.2.0
 */
public record SpecialTokens(int pad, int separator, int end) {

    /** The ids every Recursa vocabulary reserves ({@link Vocabulary}). */
    public static final SpecialTokens STANDARD = new SpecialTokens(Vocabulary.PAD_ID, Vocabulary.SEP_ID,
            Vocabulary.EOS_ID);

    /** Checks that the ids are not negative. */
    public SpecialTokens {
        if (pad < 0 || separator < 0 || end < 0) {
            throw new IllegalArgumentException("special token ids must be >= 0, got pad=" + pad + " separator="
                    + separator + " end=" + end);
        }
    }
}
