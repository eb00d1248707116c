package org.recursa.index.filter;

/**
 * One token of a filter or order-by.
 *
 * @param kind  what it is
 * @param text  the source text, quotes included
 * @param value the quoted content with doubled quotes undone for quoted tokens, else the source text
 * @param start 0-based index of the first character in the input
 * @param end   0-based index after the last character
 */
record Token(Kind kind, String text, String value, int start, int end) {

    /** The token kinds. Keywords are {@link #WORD}s; the parser compares them case-insensitively. */
    enum Kind {
        /** An unquoted name, keyword or prefixed key: {@code metrics.acc}, {@code AND}, {@code run.params.}. */
        WORD,
        /** {@code 'single-quoted'}: a string value. */
        STRING,
        /** {@code "double-quoted"}: a string value, or a key name. */
        DOUBLE_QUOTED,
        /** {@code `backticked`}: a key name. */
        BACKTICKED,
        /** {@code 6}, {@code -0.5}, {@code 1e-3}. */
        NUMBER,
        /** A run of {@code = ! < >}: an operator, known or not. */
        SYMBOL,
        /** {@code (}. */
        OPEN,
        /** {@code )}. */
        CLOSE,
        /** {@code ,}. */
        COMMA,
        /** After the last token. */
        END
    }

    /** The 1-based column of the first character. */
    int column() {
        return start + 1;
    }

    /** Whether this is the unquoted keyword {@code keyword} (compared ignoring case). */
    boolean is(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    /** Whether this is one of the keywords of the grammar. */
    boolean isKeyword() {
        return is("AND") || is("OR") || is("NOT") || is("IN") || is("LIKE") || is("ILIKE") || is("IS")
                || is("NULL");
    }

    /** Whether the token starts right where {@code previous} ends, with no space between. */
    boolean touches(Token previous) {
        return start == previous.end;
    }
}
