package org.recursa.index.filter;

import java.util.Optional;

/**
 * Reads a key: {@code [run.] prefix '.' name}, a bare name, or a quoted name. The prefix is split off an
 * unquoted word at its first dot (so a prefixed name may itself hold dots: {@code metrics.loss.aux}); a dotted
 * word whose first part is not a prefix is an error, and a bare name with a dot must be quoted. A name right
 * after {@code prefix.} may be quoted with backticks, double or (as MLflow also accepts) single quotes; a bare
 * quoted name with backticks or double quotes only, since a single-quoted string there is a value. The prefix
 * word itself may be quoted as MLflow allows: {@code `metric`.a}, {@code "params".x}.
 *
 * <p>What a key means depends on the scope, as in MLflow: in a run filter (and an unscoped parse) a bare name is
 * an attribute ({@code start_time} is {@code attributes.start_time}) and {@code run.<name>} is
 * {@code attributes.<name>}; in an artifact filter a bare name is an artifact field, and {@code run.<name>} is
 * the run's attribute {@code run.attributes.<name>}, next to {@code run.params.arch} and the like. Attribute
 * aliases ({@code created}, {@code `Run name`}) become the attribute they name.
 */
final class KeyReader {

    private KeyReader() {
    }

    /** Whether {@code token} can start a key. */
    static boolean startsKey(Token token) {
        return switch (token.kind()) {
            case WORD -> !token.isKeyword() && !token.text().startsWith(".");
            case BACKTICKED, DOUBLE_QUOTED -> true;
            default -> false;
        };
    }

    /** Reads the key at the cursor, which {@link #startsKey} accepts, for {@code scope} (null: unscoped). */
    static Key read(TokenCursor cursor, Scope scope) {
        Token first = cursor.next();
        if (first.kind() != Token.Kind.WORD) {
            Token dotted = cursor.peek();
            if (dotted.kind() == Token.Kind.WORD && dotted.text().startsWith(".") && dotted.touches(first)) {
                String prefix = first.value();
                if (!prefix.equals("run") && KeyScope.ofPrefix(prefix).isEmpty()) {
                    throw cursor.error(first, "unknown key prefix '" + prefix + "'; valid prefixes: "
                            + KeyScope.VALID_PREFIXES);
                }
                cursor.next();
                return prefixed(cursor, first, prefix + dotted.text(), scope);
            }
            return bare(cursor, first, nonEmpty(cursor, first, first.value()), scope);
        }
        String text = first.text();
        if (text.indexOf('.') < 0) {
            if (KeyScope.ofPrefix(text).isPresent()) {
                throw cursor.error(first, "'" + text + "' needs a key name: " + text + ".<name>");
            }
            return bare(cursor, first, text, scope);
        }
        return prefixed(cursor, first, text, scope);
    }

    /** {@code text} is the key up to its name: {@code metrics.acc}, {@code run.params.}, {@code run.status}. */
    private static Key prefixed(TokenCursor cursor, Token first, String text, Scope scope) {
        boolean run = text.startsWith("run.");
        String rest = run ? text.substring(4) : text;
        int dot = rest.indexOf('.');
        String prefix = dot < 0 ? rest : rest.substring(0, dot);
        Optional<KeyScope> keyScope = KeyScope.ofPrefix(prefix);
        if (keyScope.isEmpty() && run && dot < 0) {
            // run.<name>: MLflow's spelling of attributes.<name>; in an artifact filter, the run's attribute
            String name = rest.isEmpty() ? quotedName(cursor, first, text) : rest;
            return new Key(KeyScope.ATTRIBUTES, scope == Scope.ARTIFACTS, TypeRules.attributeName(name));
        }
        if (keyScope.isEmpty()) {
            throw cursor.error(first, run
                    ? "unknown key prefix 'run." + prefix + "'; after run. use metrics, params, tags or attributes"
                    : "unknown key prefix '" + prefix + "'; valid prefixes: " + KeyScope.VALID_PREFIXES);
        }
        if (dot < 0) {
            throw cursor.error(first, "'" + text + "' needs a key name: " + text + ".<name>");
        }
        String name = rest.substring(dot + 1);
        if (name.isEmpty()) {
            name = quotedName(cursor, first, text);
        }
        if (keyScope.get() == KeyScope.ATTRIBUTES) {
            name = TypeRules.attributeName(name);
        }
        return new Key(keyScope.get(), run, name);
    }

    /** The quoted name glued to the key text read so far ({@code metrics.`my metric`}). */
    private static String quotedName(TokenCursor cursor, Token first, String text) {
        Token quoted = cursor.peek();
        boolean glued = (quoted.kind() == Token.Kind.BACKTICKED || quoted.kind() == Token.Kind.DOUBLE_QUOTED
                || quoted.kind() == Token.Kind.STRING) && quoted.touches(cursor.previous());
        if (!glued) {
            throw cursor.error(quoted, "expected a key name after '" + text + "', got " + cursor.describe(quoted));
        }
        return nonEmpty(cursor, quoted, cursor.next().value());
    }

    /** A name without prefix: an attribute in a run filter (as in MLflow), else an artifact field. */
    private static Key bare(TokenCursor cursor, Token token, String name, Scope scope) {
        if (scope != Scope.RUNS) {
            return Key.bare(name);
        }
        Key key = Key.of(KeyScope.ATTRIBUTES, TypeRules.attributeName(name));
        int dot = name.indexOf('.');
        if (TypeRules.keyProblem(key) != null && dot > 0 && KeyScope.ofPrefix(name.substring(0, dot)).isPresent()) {
            throw cursor.error(token, "'" + name + "' is quoted as one name; quote only the name after the prefix: "
                    + name.substring(0, dot + 1) + "`" + name.substring(dot + 1) + "`");
        }
        if (TypeRules.keyProblem(key) != null) {
            throw cursor.error(token, "unknown attribute '" + name + "'; a name without prefix is an attribute ("
                    + TypeRules.attributeList() + "); write metrics." + name + ", params." + name + " or tags."
                    + name + " for the others");
        }
        return key;
    }

    private static String nonEmpty(TokenCursor cursor, Token token, String name) {
        if (name.isEmpty()) {
            throw cursor.error(token, "empty key name");
        }
        return name;
    }
}
