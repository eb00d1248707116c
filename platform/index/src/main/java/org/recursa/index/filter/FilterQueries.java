package org.recursa.index.filter;

import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.search.join.ToChildBlockJoinQuery;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.util.BytesRef;
import org.recursa.index.IndexFields;

/**
 * Filters as Lucene queries over the fields of {@link IndexFields}. A clause on a key a document does not have
 * is false, for every operator: {@code !=} and {@code NOT IN} require {@code has:K} and exclude the matches of
 * {@code =}/{@code IN}. Strings compare exactly on {@code s:K} ({@code LIKE} as a wildcard query there, or a
 * term query when the pattern has no wildcard; {@code ILIKE} the same on the lower-cased {@code l:K}); numbers on the points of {@code n:K}, strict bounds by
 * {@link Math#nextUp}/{@link Math#nextDown}. {@code IS NOT NULL} is {@code has:K}, {@code IS NULL} its complement.
 * {@code attributes.status} ignores case: its comparisons ({@code LIKE} included) run on the lower-cased
 * {@code l:K} with lower-cased values. {@code AND} is a conjunction of {@code FILTER} clauses, {@code OR}
 * a disjunction with at least one match. In an artifact filter, a clause on the artifact's run ({@code run.params.arch})
 * is answered on the run document, which the index stores after the run's artifacts as one block, and joined to
 * the artifacts of the matching runs ({@link ToChildBlockJoinQuery}). Nothing is scored: every match scores 1, so results without a sort
 * come in index order.
 */
public final class FilterQueries {

    /** The run documents, which close each run's block of artifact documents (for the block join). */
    private static final BitSetProducer RUN_DOCUMENTS = new QueryBitSetProducer(
            new TermQuery(new Term(IndexFields.TYPE, IndexFields.RUN_TYPE)));

    private FilterQueries() {
    }

    /**
     * Parses {@code filter} for {@code scope} and translates it: what {@code recursa runs search} and
     * {@code recursa traces search} call.
     *
     * @throws FilterSyntaxException at the first problem of the text
     */
    public static Query toQuery(String filter, Scope scope) {
        return toQuery(FilterParser.parse(filter, scope), scope);
    }

    /**
     * Translates a filter, checking again what the parser checks (so trees built in code are held to the same
     * rules).
     *
     * @throws IllegalArgumentException if a key does not suit {@code scope} or a comparison breaks the type rules
     */
    public static Query toQuery(Filter filter, Scope scope) {
        Objects.requireNonNull(scope, "scope");
        if (filter instanceof MatchAll) {
            return new MatchAllDocsQuery();
        }
        int comparisons = FilterParser.comparisons(filter);
        if (comparisons > FilterParser.MAX_COMPARISONS) {
            throw new IllegalArgumentException(FilterParser.sizeProblem(comparisons));
        }
        return new ConstantScoreQuery(translate(filter, scope));
    }

    private static Query translate(Filter filter, Scope scope) {
        if (filter instanceof And and) {
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            and.children().forEach(child -> all.add(translate(child, scope), Occur.FILTER));
            return all.build();
        }
        if (filter instanceof Or or) {
            BooleanQuery.Builder any = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
            or.children().forEach(child -> any.add(translate(child, scope), Occur.SHOULD));
            return any.build();
        }
        if (filter instanceof Comparison comparison) {
            String problem = TypeRules.problem(comparison, scope);
            if (problem != null) {
                throw new IllegalArgumentException(problem + " (in " + comparison + ")");
            }
            if (scope == Scope.ARTIFACTS && comparison.key().run()) {
                return onTheRun(leaf(comparison, Key.of(comparison.key().scope(), comparison.key().name()).canonical()));
            }
            return leaf(comparison, comparison.key().canonical());
        }
        throw new IllegalArgumentException("the empty filter can only be the whole filter");
    }

    /** One comparison on the fields of {@code key} in the document at hand. */
    private static Query leaf(Comparison comparison, String key) {
        if (comparison.op().takesNoValue()) {
            return present(comparison, key);
        }
        return TypeRules.typeOf(comparison) == TypeRules.Type.NUMBER ? number(comparison, key) : string(comparison, key);
    }

    /**
     * The artifacts whose run matches {@code onRun}: an artifact's run keys ({@code run.params.arch}) live on the run
     * document that closes the artifact's block ({@link IndexFields#TYPE} {@code run}), not on every artifact.
     */
    private static Query onTheRun(Query onRun) {
        Query runs = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.TYPE, IndexFields.RUN_TYPE)), Occur.FILTER)
                .add(onRun, Occur.FILTER)
                .build();
        return new ToChildBlockJoinQuery(runs, RUN_DOCUMENTS);
    }

    private static Query number(Comparison comparison, String key) {
        String field = IndexFields.numberField(key);
        double v = ((NumberLiteral) comparison.value()).value();
        return switch (comparison.op()) {
            case EQ -> DoublePoint.newExactQuery(field, v);
            case NE -> hasButNot(key, DoublePoint.newExactQuery(field, v));
            case LT -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, Math.nextDown(v));
            case LE -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, v);
            case GT -> DoublePoint.newRangeQuery(field, Math.nextUp(v), Double.POSITIVE_INFINITY);
            case GE -> DoublePoint.newRangeQuery(field, v, Double.POSITIVE_INFINITY);
            default -> throw new IllegalStateException("not a numeric operator: " + comparison.op());
        };
    }

    /** {@code IS NOT NULL}: {@code has:K}; {@code IS NULL}: every document but those. */
    private static Query present(Comparison comparison, String key) {
        Query has = new TermQuery(new Term(IndexFields.HAS, key));
        return comparison.op() == Op.IS_NOT_NULL ? has : new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(has, Occur.MUST_NOT)
                .build();
    }

    private static Query string(Comparison comparison, String key) {
        if (TypeRules.ignoresCase(comparison.key())) {
            return caseless(comparison, key);
        }
        String field = IndexFields.keywordField(key);
        return switch (comparison.op()) {
            case EQ -> new TermQuery(new Term(field, text(comparison.value())));
            case NE -> hasButNot(key, new TermQuery(new Term(field, text(comparison.value()))));
            case LIKE -> like(field, text(comparison.value()));
            case ILIKE -> like(IndexFields.lowercaseField(key), IndexFields.lowercase(text(comparison.value())));
            case IN -> new TermInSetQuery(field, terms(comparison.values()));
            case NOT_IN -> hasButNot(key, new TermInSetQuery(field, terms(comparison.values())));
            default -> throw new IllegalStateException("not a string operator: " + comparison.op());
        };
    }

    /** Every string operator on the lower-cased field with lower-cased values: {@code LIKE} is {@code ILIKE}. */
    private static Query caseless(Comparison comparison, String key) {
        String field = IndexFields.lowercaseField(key);
        String first = IndexFields.lowercase(text(comparison.value()));
        List<BytesRef> all = comparison.values().stream()
                .map(v -> new BytesRef(IndexFields.lowercase(text(v)))).toList();
        return switch (comparison.op()) {
            case EQ -> new TermQuery(new Term(field, first));
            case NE -> hasButNot(key, new TermQuery(new Term(field, first)));
            case LIKE, ILIKE -> like(field, first);
            case IN -> new TermInSetQuery(field, all);
            case NOT_IN -> hasButNot(key, new TermInSetQuery(field, all));
            default -> throw new IllegalStateException("not a string operator: " + comparison.op());
        };
    }

    /** A term query for a pattern without wildcards, else a wildcard query. */
    private static Query like(String field, String pattern) {
        String literal = LikePatterns.literal(pattern);
        return literal != null ? new TermQuery(new Term(field, literal))
                : new WildcardQuery(new Term(field, LikePatterns.toWildcard(pattern)));
    }

    /** Documents that have {@code key} and do not match {@code excluded}. */
    private static Query hasButNot(String key, Query excluded) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.HAS, key)), Occur.FILTER)
                .add(excluded, Occur.MUST_NOT)
                .build();
    }

    private static String text(Literal literal) {
        return ((StringLiteral) literal).value();
    }

    private static List<BytesRef> terms(List<Literal> values) {
        return values.stream().map(v -> new BytesRef(text(v))).toList();
    }
}
