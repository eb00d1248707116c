package org.recursa.api.task;

import java.util.List;
import java.util.Objects;

/**
 * A checker's judgement of one prediction.
 *
 * @param correct       whether the prediction is the expected output exactly
 * @param tokensCorrect positions where prediction and target agree (compared up to the target's length)
 * @param tokensTotal   the target's length
 * @param firstError    the first position that differs, or -1 when correct
 * @param expected      the target tokens
 * @param predicted     the predicted tokens
 * @param explanation   one line for a person, e.g. {@code token 3: expected 'b', got 'c'}
 */
public record Verdict(boolean correct, int tokensCorrect, int tokensTotal, int firstError,
                      List<String> expected, List<String> predicted, String explanation) {

    /** Copies the lists and checks that the counts are consistent. */
    public Verdict {
        expected = List.copyOf(expected);
        predicted = List.copyOf(predicted);
        Objects.requireNonNull(explanation, "explanation");
        if (tokensCorrect < 0 || tokensCorrect > tokensTotal) {
            throw new IllegalArgumentException("tokensCorrect must be in [0, tokensTotal]");
        }
        if (correct != (firstError < 0)) {
            throw new IllegalArgumentException("firstError must be -1 exactly when the verdict is correct");
        }
    }

    /**
     * Compares a prediction with the expected tokens position by position; the verdict most tasks need.
     *
     * @param expected  the target
     * @param predicted what the model produced
     */
    public static Verdict compare(List<String> expected, List<String> predicted) {
        int agree = 0;
        int first = -1;
        for (int i = 0; i < expected.size(); i++) {
            boolean same = i < predicted.size() && expected.get(i).equals(predicted.get(i));
            if (same) {
                agree++;
            } else if (first < 0) {
                first = i;
            }
        }
        if (first < 0 && predicted.size() != expected.size()) {
            first = expected.size();
        }
        return new Verdict(first < 0, agree, expected.size(), first, expected, predicted, explain(expected, predicted, first));
    }

    private static String explain(List<String> expected, List<String> predicted, int first) {
        if (first < 0) {
            return "correct";
        }
        String want = first < expected.size() ? "'" + expected.get(first) + "'" : "end of output";
        String got = first < predicted.size() ? "'" + predicted.get(first) + "'" : "end of output";
        return "token " + first + ": expected " + want + ", got " + got;
    }
}
