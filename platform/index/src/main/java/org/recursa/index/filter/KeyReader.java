package org.recursa.index.filter;

import java.util.Optional;

/**
 * Reads a key: {@code [run.] prefix '.' name}, a bare name, or a quoted name. The prefix is split off an
 * unquoted word at its first dot (so a prefixed name may itself hold dots: {@code metrics.loss.aux}); a dotted
 * word whose first part is not a prefix is an error, and a bare name with a dot must be quoted. A name right
 * after {@code prefix.} may be quoted with backticks, double or (as MLflow also accepts) single quotes; a bare
 * quoted name with backticks or double quotes only, since a single-quoted string there is a value.
 */
final class KeyReader {

    private KeyReader() {
    }

    /** Whether {@code token} can start a key. */
    static boolean startsKey(Token token) {
        return switch (token.kind()) {
            case WORD -> !token.isKeyword();
            case BACKTICKED, DOUBLE_QUOTED -> true;
            default -> false;
        };
    }

    /** Reads the key at the cursor, which {@link #startsKey} accepts. */
    static Key read(TokenCursor cursor) {
        Token first = cursor.next();
        if (first.kind() != Token.Kind.WORD) {
            return Key.bare(nonEmpty(cursor, first, first.value()));
        }
        String text = first.text();
        if (text.indexOf('.') < 0) {
            if (KeyScope.ofPrefix(text).isPresent()) {
                throw cursor.error(first, "'" + text + "' needs a key name: " + text + ".<name>");
            }
            return Key.bare(text);
        }
        boolean run = text.startsWith("run.");
        String rest = run ? text.substring(4) : text;
        int dot = rest.indexOf('.');
        String prefix = dot < 0 ? rest : rest.substring(0, dot);
        Optional<KeyScope> scope = KeyScope.ofPrefix(prefix);
        if (scope.isEmpty()) {
            throw cursor.error(first, run
                    ? "unknown key prefix 'run." + prefix + "'; after run. use metrics, params, tags or attributes"
                    : "unknown key prefix '" + prefix + "'; valid prefixes: " + KeyScope.VALID_PREFIXES);
        }
        if (dot < 0) {
            throw cursor.error(first, "'" + text + "' needs a key name: " + text + ".<name>");
        }
        String name = rest.substring(dot + 1);
        if (name.isEmpty()) {
            Token quoted = cursor.peek();
            boolean glued = (quoted.kind() == Token.Kind.BACKTICKED || quoted.kind() == Token.Kind.DOUBLE_QUOTED
                    || quoted.kind() == Token.Kind.STRING) && quoted.touches(first);
            if (!glued) {
                throw cursor.error(quoted, "expected a key name after '" + text + "', got " + cursor.describe(quoted));
            }
            name = nonEmpty(cursor, quoted, cursor.next().value());
        }
        return new Key(scope.get(), run, name);
    }

    private static String nonEmpty(TokenCursor cursor, Token token, String name) {
        if (name.isEmpty()) {
            throw cursor.error(token, "empty key name");
        }
        return name;
    }
}
