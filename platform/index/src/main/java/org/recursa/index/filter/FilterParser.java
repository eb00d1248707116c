package org.recursa.index.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A hand-written recursive-descent parser for MLflow's {@code search_runs} filter grammar, extended with
 * {@code OR} and parentheses:
 *
 * <pre>
 * filter     := or_expr EOF                      (blank: matches everything)
 * or_expr    := and_expr ( OR and_expr )*
 * and_expr   := primary ( AND primary )*
 * primary    := '(' or_expr ')' | comparison
 * comparison := key op value | key [NOT] IN '(' value ( ',' value )* ')' | key IS [NOT] NULL
 * op         := = | != | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE
 * </pre>
 *
 * Keys, values and the type rules are described on {@link Key}, {@link Literal} and in docs/search.md.
 * Parsing stops at the first problem, reading left to right, and reports it as a
 * {@link FilterSyntaxException} with its column. The parser flattens nested {@code AND}s and {@code OR}s.
 * A filter may hold at most {@link #MAX_COMPARISONS} comparisons, counting each value of an {@code IN} list.
 */
public final class FilterParser {

    private static final String SUBJECT = "filter";
    /** How deep parentheses may nest; deeper input is an error rather than a stack overflow. */
    static final int MAX_NESTING = 64;
    /**
     * How many comparisons a filter may hold, each value of an {@code IN}/{@code NOT IN} list counting one. The
     * translation makes at most two Lucene clauses of each ({@code !=}, {@code NOT IN} and {@code IS NULL} pair the
     * test with a presence check), and Lucene refuses a query of more than
     * {@link org.apache.lucene.search.IndexSearcher#getMaxClauseCount()} (1,024) clauses; the bound keeps every
     * filter the parser accepts under that.
     */
    public static final int MAX_COMPARISONS = 512;

    private final TokenCursor cursor;
    private final Scope scope;
    private int nesting;
    private int comparisons;
    private Token overLimit;

    private FilterParser(String text, Scope scope) {
        this.cursor = new TokenCursor(SUBJECT, text);
        this.scope = scope;
    }

    /**
     * Parses and type-checks a filter without restricting its keys to one kind of document.
     *
     * @throws FilterSyntaxException at the first problem
     */
    public static Filter parse(String text) {
        return new FilterParser(text, null).filter();
    }

    /**
     * Parses and type-checks a filter whose keys must suit {@code scope} (prefixed keys for runs; bare and
     * {@code run.} keys for artifacts).
     *
     * @throws FilterSyntaxException at the first problem
     */
    public static Filter parse(String text, Scope scope) {
        return new FilterParser(text, Objects.requireNonNull(scope, "scope")).filter();
    }

    private Filter filter() {
        if (cursor.peek().kind() == Token.Kind.END) {
            return Filter.ALL;
        }
        Filter filter = or();
        Token after = cursor.peek();
        if (after.kind() == Token.Kind.CLOSE) {
            throw cursor.error(after, "unbalanced ')': no '(' to close");
        }
        if (after.kind() != Token.Kind.END) {
            throw cursor.error(after, "unexpected " + cursor.describe(after)
                    + " after a complete comparison; join comparisons with AND or OR");
        }
        if (overLimit != null) {
            throw cursor.error(overLimit, sizeProblem(comparisons));
        }
        return filter;
    }

    private Filter or() {
        List<Filter> children = new ArrayList<>();
        add(children, and(), Or.class);
        while (cursor.peek().is("OR")) {
            cursor.next();
            add(children, and(), Or.class);
        }
        return children.size() == 1 ? children.get(0) : new Or(children);
    }

    private Filter and() {
        List<Filter> children = new ArrayList<>();
        add(children, primary(), And.class);
        while (cursor.peek().is("AND")) {
            cursor.next();
            add(children, primary(), And.class);
        }
        return children.size() == 1 ? children.get(0) : new And(children);
    }

    /** Adds {@code child}, or its children if it is of the same kind as the junction being built. */
    private static void add(List<Filter> children, Filter child, Class<? extends Filter> kind) {
        if (child instanceof And and && kind == And.class) {
            children.addAll(and.children());
        } else if (child instanceof Or or && kind == Or.class) {
            children.addAll(or.children());
        } else {
            children.add(child);
        }
    }

    private Filter primary() {
        Token token = cursor.peek();
        if (token.kind() == Token.Kind.OPEN) {
            if (++nesting > MAX_NESTING) {
                throw cursor.error(token, "parentheses nested deeper than " + MAX_NESTING);
            }
            cursor.next();
            Filter inner = or();
            nesting--;
            Token close = cursor.peek();
            if (close.kind() != Token.Kind.CLOSE) {
                throw cursor.error(close, "expected ')' to close the '(' at column " + token.column() + ", got "
                        + cursor.describe(close));
            }
            cursor.next();
            return inner;
        }
        if (KeyReader.startsKey(token)) {
            return comparison();
        }
        throw cursor.error(token, expectedComparison(token));
    }

    private String expectedComparison(Token token) {
        Token previous = cursor.previous();
        if (token.is("NOT")) {
            return "NOT is only supported in NOT IN and IS NOT NULL; write key NOT IN (...), key != value or"
                    + " key IS NULL";
        }
        if (previous == null) {
            return token.is("AND") || token.is("OR")
                    ? "a filter cannot start with " + token.text().toUpperCase(Locale.ROOT)
                    : "expected a comparison, got " + cursor.describe(token);
        }
        String after = previous.kind() == Token.Kind.WORD ? previous.text().toUpperCase(Locale.ROOT)
                : "'" + previous.text() + "'";
        return "expected a comparison after " + after + ", got " + cursor.describe(token);
    }

    private Comparison comparison() {
        Token keyStart = cursor.peek();
        Key key = KeyReader.read(cursor, scope);
        String keyText = cursor.source(keyStart, cursor.previous());
        failIf(keyStart, TypeRules.keyProblem(key));
        if (scope != null) {
            failIf(keyStart, scope.problem(key));
        }
        Token opToken = cursor.next();
        Op op = operator(opToken, keyText);
        failIf(opToken, TypeRules.operatorProblem(key, op));
        if (op.takesNoValue()) {
            count(keyStart);
            return new Comparison(key, op);
        }
        if (!op.takesList()) {
            count(keyStart);
            return new Comparison(key, op, value(key, op, "after " + quoteSymbol(op)));
        }
        Token open = cursor.next();
        if (open.kind() != Token.Kind.OPEN) {
            throw cursor.error(open, "expected '(' after " + op + ", got " + cursor.describe(open));
        }
        if (cursor.peek().kind() == Token.Kind.CLOSE) {
            throw cursor.error(cursor.peek(), "empty " + op + " list; give at least one value");
        }
        List<Literal> values = new ArrayList<>();
        count(cursor.peek());
        values.add(value(key, op, "after '('"));
        while (true) {
            Token next = cursor.next();
            if (next.kind() == Token.Kind.CLOSE) {
                return new Comparison(key, op, values);
            }
            if (next.kind() != Token.Kind.COMMA) {
                throw cursor.error(next, "expected ',' or ')' in the " + op + " list, got " + cursor.describe(next));
            }
            count(cursor.peek());
            values.add(value(key, op, "after ','"));
        }
    }

    /** Counts one comparison (or one value of an IN list) starting at {@code token}. */
    private void count(Token token) {
        if (++comparisons == MAX_COMPARISONS + 1) {
            overLimit = token;
        }
    }

    /** The message for a filter of {@code comparisons} comparisons, more than {@link #MAX_COMPARISONS}. */
    static String sizeProblem(int comparisons) {
        return String.format(Locale.ROOT, "the filter has %,d comparisons; at most %,d are allowed (IN lists count"
                + " one per value)", comparisons, MAX_COMPARISONS);
    }

    /** The comparisons of {@code filter} as {@link #MAX_COMPARISONS} counts them. */
    static int comparisons(Filter filter) {
        if (filter instanceof And and) {
            return and.children().stream().mapToInt(FilterParser::comparisons).sum();
        }
        if (filter instanceof Or or) {
            return or.children().stream().mapToInt(FilterParser::comparisons).sum();
        }
        return filter instanceof Comparison c ? Math.max(1, c.values().size()) : 0;
    }

    private Op operator(Token token, String keyText) {
        if (token.is("NOT")) {
            Token in = cursor.next();
            if (!in.is("IN")) {
                throw cursor.error(in, "expected IN after NOT, got " + cursor.describe(in));
            }
            return Op.NOT_IN;
        }
        if (token.is("IN")) {
            return Op.IN;
        }
        if (token.is("IS")) {
            Token next = cursor.next();
            if (next.is("NULL")) {
                return Op.IS_NULL;
            }
            if (!next.is("NOT")) {
                throw cursor.error(next, "expected NULL or NOT NULL after IS, got " + cursor.describe(next)
                        + "; compare values with = or !=");
            }
            Token nul = cursor.next();
            if (!nul.is("NULL")) {
                throw cursor.error(nul, "expected NULL after IS NOT, got " + cursor.describe(nul));
            }
            return Op.IS_NOT_NULL;
        }
        if (token.is("LIKE")) {
            return Op.LIKE;
        }
        if (token.is("ILIKE")) {
            return Op.ILIKE;
        }
        if (token.kind() == Token.Kind.SYMBOL) {
            Op op = Op.ofSymbol(token.text());
            if (op == null) {
                throw cursor.error(token, "unknown operator '" + token.text() + "'; valid operators: =, !=, <, <=, >,"
                        + " >=, LIKE, ILIKE, IN, NOT IN");
            }
            return op;
        }
        throw cursor.error(token, "expected a comparison operator after '" + keyText + "', got "
                + cursor.describe(token));
    }

    private Literal value(Key key, Op op, String after) {
        Token token = cursor.next();
        Literal literal = switch (token.kind()) {
            case STRING, DOUBLE_QUOTED -> new StringLiteral(token.value());
            case NUMBER -> number(token);
            default -> {
                if (token.is("NULL")) {
                    throw cursor.error(token, "NULL is not a value; write key IS NULL or key IS NOT NULL");
                }
                String hint = token.kind() == Token.Kind.WORD && !token.isKeyword()
                        ? " (quote strings: '" + token.text() + "')" : "";
                throw cursor.error(token, "expected a value " + after + ", got " + cursor.describe(token) + hint);
            }
        };
        failIf(token, TypeRules.valueProblem(key, op, literal));
        return literal;
    }

    private NumberLiteral number(Token token) {
        double value = Double.parseDouble(token.text());
        if (!Double.isFinite(value)) {
            throw cursor.error(token, "number " + token.text() + " is out of range");
        }
        return new NumberLiteral(value);
    }

    private void failIf(Token token, String problem) {
        if (problem != null) {
            throw cursor.error(token, problem);
        }
    }

    private static String quoteSymbol(Op op) {
        return Op.NUMERIC.contains(op) ? "'" + op.symbol() + "'" : op.symbol();
    }
}
