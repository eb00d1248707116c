package org.recursa.index.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedSetSortField;
import org.recursa.index.IndexFields;

/**
 * An {@code --order-by}: comma-separated keys, each optionally followed by {@code ASC} (the default) or
 * {@code DESC}, e.g. {@code metrics.seq_acc_ood DESC, attributes.start_time}. Run documents can be ordered by
 * every key: numbers (metrics, {@code attributes.start_time}/{@code end_time}) by value, strings (params, tags,
 * the other attributes) by their sort field {@code o:K} (code-point order, the smallest value of a key holding
 * several). Artifact documents can be ordered by numbers only (they keep no sort fields for strings; a string
 * key is an error). Documents missing a key sort after every document that has it, in both directions.
 *
 * @param terms the keys in order of precedence; empty for no ordering (index order)
 */
public record OrderBy(List<Term> terms) {

    private static final String SUBJECT = "order-by";

    /**
     * One key of an order-by.
     *
     * @param key        a numeric key
     * @param descending true for {@code DESC}
     */
    public record Term(Key key, boolean descending) {

        /** Checks the components. */
        public Term {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return key + (descending ? " DESC" : " ASC");
        }
    }

    /** Copies the terms. */
    public OrderBy {
        terms = List.copyOf(terms);
    }

    /**
     * Parses an order-by whose keys must suit {@code scope}; a blank text is the empty order-by.
     *
     * @throws FilterSyntaxException at the first problem, with subject {@code order-by}
     */
    public static OrderBy parse(String text, Scope scope) {
        Objects.requireNonNull(scope, "scope");
        TokenCursor cursor = new TokenCursor(SUBJECT, text);
        List<Term> terms = new ArrayList<>();
        if (cursor.peek().kind() == Token.Kind.END) {
            return new OrderBy(terms);
        }
        while (true) {
            Token start = cursor.peek();
            if (!KeyReader.startsKey(start) || start.is("ASC") || start.is("DESC")) {
                String after = cursor.previous() == null ? "" : " after ','";
                throw cursor.error(start, "expected a key to order by" + after + ", got " + cursor.describe(start));
            }
            Key key = KeyReader.read(cursor, scope);
            String keyText = cursor.source(start, cursor.previous());
            failIf(cursor, start, TypeRules.keyProblem(key));
            failIf(cursor, start, scope.problem(key));
            failIf(cursor, start, stringKeyProblem(key, scope));
            Token next = cursor.next();
            boolean descending = next.is("DESC");
            if (descending || next.is("ASC")) {
                next = cursor.next();
            }
            terms.add(new Term(key, descending));
            if (next.kind() == Token.Kind.END) {
                return new OrderBy(terms);
            }
            if (next.kind() != Token.Kind.COMMA) {
                throw cursor.error(next, "expected ASC, DESC, ',' or the end after '" + keyText
                        + "', got " + cursor.describe(next));
            }
        }
    }

    /**
     * The Lucene sort: per numeric term a {@link SortField.Type#DOUBLE} field on {@code n:K}, missing values last
     * (the missing value is +∞ ascending and −∞ descending, beyond every stored value, which
     * {@link IndexFields#addNumber} keeps finite); per string term a {@link SortedSetSortField} on {@code o:K}
     * (smallest value), missing last likewise; ties keep index order. {@link Sort#INDEXORDER} when empty.
     */
    public Sort toSort() {
        if (terms.isEmpty()) {
            return Sort.INDEXORDER;
        }
        SortField[] fields = new SortField[terms.size()];
        for (int i = 0; i < fields.length; i++) {
            Term term = terms.get(i);
            if (TypeRules.declaredType(term.key()) == TypeRules.Type.STRING) {
                fields[i] = new SortedSetSortField(IndexFields.sortField(term.key().canonical()), term.descending());
                fields[i].setMissingValue(term.descending() ? SortField.STRING_FIRST : SortField.STRING_LAST);
                continue;
            }
            fields[i] = new SortField(IndexFields.numberField(term.key().canonical()), SortField.Type.DOUBLE,
                    term.descending());
            fields[i].setMissingValue(term.descending() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return new Sort(fields);
    }

    /** Canonical text, e.g. {@code metrics.acc DESC, attributes.start_time ASC}; empty for no ordering. */
    @Override
    public String toString() {
        return terms.stream().map(Term::toString).collect(Collectors.joining(", "));
    }

    private static String stringKeyProblem(Key key, Scope scope) {
        TypeRules.Type type = TypeRules.declaredType(key);
        boolean string = type == TypeRules.Type.STRING
                || (type == null && TypeRules.ARTIFACT_STRING_FIELDS.contains(key.name()));
        if (!string || scope == Scope.RUNS) {
            return null;
        }
        return "ordering artifacts by a string key is not supported; order by a number such as carry_chain,"
                + " token_acc or run.metrics.<name>";
    }

    private static void failIf(TokenCursor cursor, Token token, String problem) {
        if (problem != null) {
            throw cursor.error(token, problem);
        }
    }
}
