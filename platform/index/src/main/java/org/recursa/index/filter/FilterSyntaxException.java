package org.recursa.index.filter;

import java.util.Objects;

/**
 * A filter (or order-by) that cannot be parsed or does not type-check. The message is one line,
 * {@code filter error at column 23: expected a comparison operator after 'metrics.acc', got 'foo'};
 * {@link #caret()} gives two more lines for a terminal: the input and a caret under the column.
 */
public final class FilterSyntaxException extends IllegalArgumentException {

    private final String subject;
    private final String input;
    private final int column;
    private final String detail;

    /**
     * @param subject what was parsed, the first word of the message: {@code filter} or {@code order-by}
     * @param input   the whole text parsed
     * @param column  1-based column of the problem; {@code input.length() + 1} for the end of the input
     * @param detail  what is wrong, one line
     */
    public FilterSyntaxException(String subject, String input, int column, String detail) {
        super(subject + " error at column " + column + ": " + detail);
        if (column < 1 || column > input.length() + 1) {
            throw new IllegalArgumentException("column " + column + " is outside the input (1.."
                    + (input.length() + 1) + ")");
        }
        this.subject = Objects.requireNonNull(subject, "subject");
        this.input = input;
        this.column = column;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** {@code filter} or {@code order-by}. */
    public String subject() {
        return subject;
    }

    /** The text that was parsed. */
    public String input() {
        return input;
    }

    /** The 1-based column of the problem; one past the last character for the end of the input. */
    public int column() {
        return column;
    }

    /** What is wrong, without the column prefix. */
    public String detail() {
        return detail;
    }

    /**
     * Two lines for a terminal (joined by {@code \n}, no trailing newline): the input line holding the column
     * (the whole input unless it spans several lines), and a caret under the column. Tabs before the column
     * are kept so the caret lines up.
     */
    public String caret() {
        int at = column - 1;
        int start = input.lastIndexOf('\n', at - 1) + 1;
        int end = input.indexOf('\n', start);
        String line = input.substring(start, end < 0 ? input.length() : end);
        StringBuilder pad = new StringBuilder();
        for (int i = start; i < at; i++) {
            pad.append(input.charAt(i) == '\t' ? '\t' : ' ');
        }
        return line + "\n" + pad + "^";
    }
}
