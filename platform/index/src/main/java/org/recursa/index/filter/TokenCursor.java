package org.recursa.index.filter;

import java.util.ArrayList;
import java.util.List;

/** A position in a token list, with the error helpers both parsers share. */
final class TokenCursor {

    private final String subject;
    private final String input;
    private final Tokenizer tokenizer;
    private final List<Token> tokens = new ArrayList<>();
    private int index;

    /** A cursor before the first token of {@code input}; {@code subject} ({@code filter}, {@code order-by}) names it in messages. */
    TokenCursor(String subject, String input) {
        this.subject = subject;
        this.input = input;
        this.tokenizer = new Tokenizer(subject, input);
    }

    /** The next token, not consumed; {@link Token.Kind#END} at the end, however often asked. */
    Token peek() {
        if (index == tokens.size()) {
            tokens.add(tokenizer.next());
        }
        return tokens.get(index);
    }

    /** Consumes and returns the next token; never moves past {@link Token.Kind#END}. */
    Token next() {
        Token token = peek();
        if (token.kind() != Token.Kind.END) {
            index++;
        }
        return token;
    }

    /** The token consumed last, or null before the first. */
    Token previous() {
        return index == 0 ? null : tokens.get(index - 1);
    }

    /** The source text from the start of {@code first} to the end of {@code last}. */
    String source(Token first, Token last) {
        return input.substring(first.start(), last.end());
    }

    /** An error at the first character of {@code token}. */
    FilterSyntaxException error(Token token, String detail) {
        return new FilterSyntaxException(subject, input, token.column(), detail);
    }

    /** How a message names {@code token}: {@code 'foo'}, {@code string 'x'}, {@code end of filter}. */
    String describe(Token token) {
        return switch (token.kind()) {
            case END -> "end of " + subject;
            case STRING, DOUBLE_QUOTED -> "string " + token.text();
            case BACKTICKED -> "quoted name " + token.text();
            case NUMBER -> "number " + token.text();
            default -> "'" + token.text() + "'";
        };
    }
}
