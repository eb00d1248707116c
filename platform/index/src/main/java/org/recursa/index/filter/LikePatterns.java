package org.recursa.index.filter;

import org.apache.lucene.search.WildcardQuery;

/**
 * SQL {@code LIKE} patterns as Lucene wildcard patterns. In a LIKE pattern {@code %} matches any run of
 * characters (also none), {@code _} exactly one, and a backslash makes the next character literal
 * ({@code \%}, {@code \_}, {@code \\}), as in PostgreSQL; every other character, including Lucene's own
 * wildcards {@code *} and {@code ?}, matches itself.
 */
final class LikePatterns {

    private LikePatterns() {
    }

    /** Why {@code pattern} is not a valid LIKE pattern (it ends with a lone backslash), or null. */
    static String problem(String pattern) {
        int i = 0;
        while (i < pattern.length()) {
            if (pattern.charAt(i) == '\\') {
                if (i == pattern.length() - 1) {
                    return "LIKE pattern ends with the escape character \\; write \\\\ for a backslash";
                }
                i++;
            }
            i++;
        }
        return null;
    }

    /**
     * The one string {@code pattern} matches if it has no wildcard ({@code x\_y} matches {@code x_y} only), or null
     * if it has one. The query translation uses a term query then: it is cheaper, and a {@link WildcardQuery}
     * for the empty pattern matches nothing, not the empty string. The pattern must be valid.
     */
    static String literal(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '%' || c == '_') {
                return null;
            }
            out.append(c == '\\' ? pattern.charAt(++i) : c);
        }
        return out.toString();
    }

    /** The Lucene {@link WildcardQuery} pattern matching what {@code pattern} matches; the pattern must be valid. */
    static String toWildcard(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '%' -> out.append(WildcardQuery.WILDCARD_STRING);
                case '_' -> out.append(WildcardQuery.WILDCARD_CHAR);
                case '\\' -> {
                    if (i + 1 >= pattern.length()) {
                        throw new IllegalArgumentException(problem(pattern));
                    }
                    appendLiteral(out, pattern.charAt(++i));
                }
                default -> appendLiteral(out, c);
            }
        }
        return out.toString();
    }

    private static void appendLiteral(StringBuilder out, char c) {
        if (c == WildcardQuery.WILDCARD_STRING || c == WildcardQuery.WILDCARD_CHAR
                || c == WildcardQuery.WILDCARD_ESCAPE) {
            out.append(WildcardQuery.WILDCARD_ESCAPE);
        }
        out.append(c);
    }
}
