package org.recursa.index.filter;

/**
 * Splits filter or order-by text into {@link Token}s, ending with {@link Token.Kind#END}. It knows nothing
 * of the grammar beyond the shape of words, numbers, quoted text and symbols; an unterminated quote, a
 * malformed number or a character no token starts with is a {@link FilterSyntaxException}.
 */
final class Tokenizer {

    private final String subject;
    private final String input;
    private int pos;

    /** A tokenizer at the start of {@code input}; {@code subject} names it in messages ({@code filter}, {@code order-by}). */
    Tokenizer(String subject, String input) {
        this.subject = subject;
        this.input = input;
    }

    /**
     * The next token; {@link Token.Kind#END} at the end, however often asked. Tokens are read on demand so that
     * the parser reports the leftmost problem, whether it is a bad token or bad grammar.
     */
    Token next() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
            pos++;
        }
        if (pos == input.length()) {
            return new Token(Token.Kind.END, "", "", pos, pos);
        }
        return read();
    }

    private Token read() {
        int start = pos;
        char c = input.charAt(pos);
        if (c == '(' || c == ')' || c == ',') {
            pos++;
            Token.Kind kind = c == '(' ? Token.Kind.OPEN : c == ')' ? Token.Kind.CLOSE : Token.Kind.COMMA;
            return new Token(kind, String.valueOf(c), String.valueOf(c), start, pos);
        }
        if (c == '\'' || c == '"' || c == '`') {
            return quoted(c);
        }
        if (startsNumber()) {
            return number();
        }
        if (isWordStart(c) || c == '.') {
            // a word may start with a dot only right after a quoted prefix word: `metric`.acc
            pos++;
            while (pos < input.length() && isWordPart(input.charAt(pos))) {
                pos++;
            }
            return simple(Token.Kind.WORD, start);
        }
        if (isSymbol(c)) {
            while (pos < input.length() && isSymbol(input.charAt(pos))) {
                pos++;
            }
            return simple(Token.Kind.SYMBOL, start);
        }
        throw error(start, "unexpected character '" + printable(c) + "'");
    }

    private Token quoted(char quote) {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos == input.length()) {
                String what = quote == '`' ? "quoted name" : "string";
                throw error(start, "unterminated " + what + " (missing closing " + quote + ")");
            }
            char c = input.charAt(pos++);
            if (c == quote) {
                if (pos < input.length() && input.charAt(pos) == quote) {
                    value.append(quote);
                    pos++;
                } else {
                    break;
                }
            } else {
                value.append(c);
            }
        }
        Token.Kind kind = quote == '\'' ? Token.Kind.STRING
                : quote == '"' ? Token.Kind.DOUBLE_QUOTED : Token.Kind.BACKTICKED;
        return new Token(kind, input.substring(start, pos), value.toString(), start, pos);
    }

    /** {@code -?(digits[.digits]|.digits)([eE][+-]?digits)?}, which must not run into a word. */
    private Token number() {
        int start = pos;
        if (input.charAt(pos) == '-') {
            pos++;
        }
        skipDigits();
        if (at('.')) {
            pos++;
            skipDigits();
        }
        if (at('e') || at('E')) {
            int mark = pos++;
            if (at('+') || at('-')) {
                pos++;
            }
            if (pos < input.length() && isDigit(input.charAt(pos))) {
                skipDigits();
            } else {
                pos = mark;
            }
        }
        if (pos < input.length() && (isWordPart(input.charAt(pos)))) {
            while (pos < input.length() && isWordPart(input.charAt(pos))) {
                pos++;
            }
            throw error(start, "malformed number '" + input.substring(start, pos) + "'");
        }
        return simple(Token.Kind.NUMBER, start);
    }

    private boolean startsNumber() {
        int i = pos;
        if (input.charAt(i) == '-') {
            i++;
        }
        if (i < input.length() && input.charAt(i) == '.') {
            i++;
        }
        return i < input.length() && isDigit(input.charAt(i));
    }

    private void skipDigits() {
        while (pos < input.length() && isDigit(input.charAt(pos))) {
            pos++;
        }
    }

    private boolean at(char c) {
        return pos < input.length() && input.charAt(pos) == c;
    }

    private Token simple(Token.Kind kind, int start) {
        String text = input.substring(start, pos);
        return new Token(kind, text, text, start, pos);
    }

    private FilterSyntaxException error(int index, String detail) {
        return new FilterSyntaxException(subject, input, index + 1, detail);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c) || c == '-' || c == '.' || c == '/';
    }

    private static boolean isSymbol(char c) {
        return c == '=' || c == '!' || c == '<' || c == '>';
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c) ? String.format("\\u%04x", (int) c)
                : String.valueOf(c);
    }
}
