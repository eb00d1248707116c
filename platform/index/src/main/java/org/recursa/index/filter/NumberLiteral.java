package org.recursa.index.filter;

/**
 * A number value: an integer, decimal or scientific literal, optionally negative, always held as a double.
 *
 * @param value the number; finite; {@code -0.0} is normalised to {@code 0.0} as the index does
 */
public record NumberLiteral(double value) implements Literal {

    /** Checks and normalises the component. */
    public NumberLiteral {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a number literal must be finite, got " + value);
        }
        if (value == 0.0) {
            value = 0.0;
        }
    }

    /** Integers below 2^53 as integers ({@code 6}), everything else as {@link Double#toString} ({@code 0.5}, {@code 1.0E-5}). */
    @Override
    public String toString() {
        if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
