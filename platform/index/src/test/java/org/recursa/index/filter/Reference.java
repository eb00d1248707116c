package org.recursa.index.filter;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a filter means, evaluated in plain Java on an {@link IndexedDoc}: the oracle the Lucene results are
 * compared with. Written from the rules in docs/search.md, not from the query translation; LIKE goes through
 * a regular expression here, not a wildcard automaton.
 */
final class Reference {

    private Reference() {
    }

    static boolean matches(Filter filter, IndexedDoc doc) {
        if (filter instanceof MatchAll) {
            return true;
        }
        if (filter instanceof And and) {
            return and.children().stream().allMatch(c -> matches(c, doc));
        }
        if (filter instanceof Or or) {
            return or.children().stream().anyMatch(c -> matches(c, doc));
        }
        Comparison c = (Comparison) filter;
        String key = c.key().canonical();
        if (c.op() == Op.IS_NULL || c.op() == Op.IS_NOT_NULL) {
            return doc.has(key) == (c.op() == Op.IS_NOT_NULL);
        }
        if (c.value() instanceof NumberLiteral n) {
            double x = n.value();
            return switch (c.op()) {
                case EQ -> doc.num(key, v -> v == x);
                case NE -> doc.num(key, v -> v != x);
                case LT -> doc.num(key, v -> v < x);
                case LE -> doc.num(key, v -> v <= x);
                case GT -> doc.num(key, v -> v > x);
                case GE -> doc.num(key, v -> v >= x);
                default -> throw new AssertionError(c);
            };
        }
        List<String> values = c.values().stream().map(v -> ((StringLiteral) v).value()).toList();
        String x = values.get(0);
        if (c.key().scope() == KeyScope.ATTRIBUTES && c.key().name().equals("status")) {
            // statuses compare ignoring case, LIKE included
            List<String> lower = values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
            String y = lower.get(0);
            return switch (c.op()) {
                case EQ -> doc.any(key, v -> v.equalsIgnoreCase(y));
                case NE -> doc.none(key, v -> v.equalsIgnoreCase(y));
                case LIKE, ILIKE -> doc.any(key, v -> like(v.toLowerCase(Locale.ROOT), y));
                case IN -> doc.any(key, v -> lower.contains(v.toLowerCase(Locale.ROOT)));
                case NOT_IN -> doc.none(key, v -> lower.contains(v.toLowerCase(Locale.ROOT)));
                default -> throw new AssertionError(c);
            };
        }
        return switch (c.op()) {
            case EQ -> doc.any(key, x::equals);
            case NE -> doc.none(key, x::equals);
            case LIKE -> doc.any(key, v -> like(v, x));
            case ILIKE -> doc.any(key, v -> like(v.toLowerCase(Locale.ROOT), x.toLowerCase(Locale.ROOT)));
            case IN -> doc.any(key, values::contains);
            case NOT_IN -> doc.none(key, values::contains);
            default -> throw new AssertionError(c);
        };
    }

    /** SQL LIKE with backslash escapes, as a regular expression. */
    static boolean like(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '%') {
                regex.append(".*");
            } else if (ch == '_') {
                regex.append('.');
            } else {
                if (ch == '\\') {
                    ch = pattern.charAt(++i);
                }
                regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /** A LIKE pattern matching exactly {@code value}: its {@code %}, {@code _} and backslashes escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
