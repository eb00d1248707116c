package org.recursa.index.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.index.IndexFields;
import org.recursa.index.Seeds;

/**
 * Every operator against a real index of ~200 random run documents: each filter's Lucene result must equal the
 * set computed in plain Java. The documents are seeded (the seed is in every assertion; replay with
 * {@code -Dtests.seed=N}); a few fixed documents at the start hold the boundary values every run.
 */
class RunFilterQueriesTest {

    private static final String ACC = "metrics.acc";
    private static final String LOSS = "metrics.loss";
    private static final String ARCH = "params.arch";
    private static final String NOTE = "tags.note";
    private static final String LABEL = "tags.label";
    private static final String STATUS = "attributes.status";
    private static final String START = "attributes.start_time";
    private static final String END = "attributes.end_time";
    private static final String RUN_ID = "attributes.run_id";

    private static final double[] ACCS = {0.0, -0.0, 0.5, 1.0, 0.25, 0.75, 0.9};
    private static final double[] LOSSES = {-1.5, -1e-3, 1e-3, 2500, -2500, 0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    private static final String[] ARCHS = {"mor", "universal", "vanilla", "MoR", "Universal", "uni*versal", "a?b",
        "back\\slash", "100%", "x_y", "xy", "x-y", ""};
    private static final String[] WORDS = {"carry", "Carry", "CARRY", "chain", "long", "*star*", "q?", "plain"};
    private static final String[] LABELS = {"red", "green", "blue"};
    /** As the run store writes them: lower case. */
    private static final String[] STATUSES = {"finished", "failed", "running", "interrupted", "crashed"};
    private static final long T0 = 1_700_000_000_000L;

    private static long seed;
    private static List<IndexedDoc> docs;
    private static TestIndex index;

    @BeforeAll
    static void index(@TempDir Path dir) throws IOException {
        seed = Seeds.seed();
        Random random = new Random(seed);
        docs = new ArrayList<>();
        for (int i = 0; i < ARCHS.length; i++) {
            docs.add(run(random, docs.size(), ACCS[i % ACCS.length], LOSSES[i % LOSSES.length], ARCHS[i]));
        }
        while (docs.size() < 200) {
            Double acc = random.nextInt(5) == 0 ? null
                    : random.nextBoolean() ? ACCS[random.nextInt(ACCS.length)] : random.nextInt(101) / 100.0;
            Double loss = random.nextInt(4) == 0 ? null
                    : random.nextBoolean() ? LOSSES[random.nextInt(LOSSES.length)]
                    : Math.round(random.nextGaussian() * 1000) / 100.0;
            String arch = random.nextInt(10) == 0 ? null : ARCHS[random.nextInt(ARCHS.length)];
            docs.add(run(random, docs.size(), acc, loss, arch));
        }
        index = new TestIndex(dir, docs, random);
    }

    private static IndexedDoc run(Random random, int id, Double acc, Double loss, String arch) {
        String status = STATUSES[random.nextInt(STATUSES.length)];
        long start = T0 + random.nextInt(1_000_000);
        IndexedDoc.Builder doc = new IndexedDoc.Builder(id)
                .number(ACC, acc).number(LOSS, loss).keyword(ARCH, arch)
                .keyword(STATUS, status).number(START, (double) start).keyword(RUN_ID, "r" + id)
                .number(END, status.equals("running") ? null : (double) start + random.nextInt(100_000));
        if (random.nextInt(5) < 3) {
            doc.keyword(NOTE, Stream.generate(() -> WORDS[random.nextInt(WORDS.length)]).limit(1 + random.nextInt(3))
                    .collect(Collectors.joining(" ")));
        }
        Set<String> labels = new LinkedHashSet<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            labels.add(LABELS[random.nextInt(LABELS.length)]);
        }
        return doc.keyword(LABEL, labels.toArray(String[]::new)).build();
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    private static Arguments f(String filter, Predicate<IndexedDoc> expected) {
        return Arguments.of(filter, expected);
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                f("", d -> true),
                // numbers: every operator, boundaries, -0.0 = 0, negative and scientific literals, infinities
                f("metrics.acc > 0.5", d -> d.num(ACC, v -> v > 0.5)),
                f("metrics.acc >= 0.5", d -> d.num(ACC, v -> v >= 0.5)),
                f("metrics.acc < 0.5", d -> d.num(ACC, v -> v < 0.5)),
                f("metrics.acc <= 0.5", d -> d.num(ACC, v -> v <= 0.5)),
                f("metrics.acc = 0.5", d -> d.num(ACC, v -> v == 0.5)),
                f("metrics.acc != 0.5", d -> d.num(ACC, v -> v != 0.5)),
                f("metrics.acc = 0", d -> d.num(ACC, v -> v == 0)),
                f("metrics.acc = -0.0", d -> d.num(ACC, v -> v == 0)),
                f("metrics.acc < 0", d -> d.num(ACC, v -> v < 0)),
                f("metric.acc >= 1", d -> d.num(ACC, v -> v >= 1)),
                f("metrics.loss < -1e-3", d -> d.num(LOSS, v -> v < -1e-3)),
                f("metrics.loss <= -1.5", d -> d.num(LOSS, v -> v <= -1.5)),
                f("metrics.loss > 2.5e3", d -> d.num(LOSS, v -> v > 2500)),
                f("metrics.loss >= 2.5E+3", d -> d.num(LOSS, v -> v >= 2500)),
                f("metrics.loss = -1E-3", d -> d.num(LOSS, v -> v == -1e-3)),
                f("metrics.loss > 1e300", d -> d.num(LOSS, v -> v > 1e300)),
                f("metrics.loss < -1.7e308", d -> d.num(LOSS, v -> v < -1.7e308)),
                f("metrics.loss != -1.5", d -> d.num(LOSS, v -> v != -1.5)),
                // strings: =, !=, IN, NOT IN on a key some documents lack
                f("params.arch = 'mor'", d -> d.any(ARCH, "mor"::equals)),
                f("params.arch != 'mor'", d -> d.none(ARCH, "mor"::equals)),
                f("params.arch = ''", d -> d.any(ARCH, String::isEmpty)),
                f("param.arch IN ('mor', 'universal', 'absent')", d -> d.any(ARCH, Set.of("mor", "universal")::contains)),
                f("params.arch NOT IN ('mor', 'universal')", d -> d.none(ARCH, Set.of("mor", "universal")::contains)),
                // LIKE: % and _, escapes, and Lucene's * ? \ taken literally
                f("params.arch LIKE 'uni%'", d -> d.any(ARCH, v -> v.startsWith("uni"))),
                f("params.arch LIKE '%r'", d -> d.any(ARCH, v -> v.endsWith("r"))),
                f("params.arch LIKE 'x_y'", d -> d.any(ARCH, v -> v.matches("x.y"))),
                f("params.arch LIKE 'x\\_y'", d -> d.any(ARCH, "x_y"::equals)),
                f("params.arch LIKE 'uni*versal'", d -> d.any(ARCH, "uni*versal"::equals)),
                f("params.arch LIKE '%?%'", d -> d.any(ARCH, v -> v.contains("?"))),
                f("params.arch LIKE '%\\%'", d -> d.any(ARCH, v -> v.endsWith("%"))),
                f("params.arch LIKE 'back\\\\slash'", d -> d.any(ARCH, "back\\slash"::equals)),
                f("params.arch LIKE '%'", d -> d.any(ARCH, v -> true)),
                f("params.arch LIKE ''", d -> d.any(ARCH, String::isEmpty)),
                f("params.arch ILIKE 'universal'", d -> d.any(ARCH, "universal"::equalsIgnoreCase)),
                f("params.arch LIKE '__'", d -> d.any(ARCH, v -> v.length() == 2)),
                f("params.arch ILIKE 'MOR'", d -> d.any(ARCH, "mor"::equalsIgnoreCase)),
                f("params.arch ILIKE 'uNi%'", d -> d.any(ARCH, v -> v.toLowerCase(Locale.ROOT).startsWith("uni"))),
                f("tags.note LIKE '%carry%'", d -> d.any(NOTE, v -> v.contains("carry"))),
                f("tags.note ILIKE '%carry%'", d -> d.any(NOTE, v -> v.toLowerCase(Locale.ROOT).contains("carry"))),
                f("tags.note LIKE '%*star*%'", d -> d.any(NOTE, v -> v.contains("*star*"))),
                // several values for one key: = matches any, != and NOT IN none
                f("tags.label = 'red'", d -> d.any(LABEL, "red"::equals)),
                f("tags.label != 'red'", d -> d.none(LABEL, "red"::equals)),
                f("tags.label IN ('red', 'blue')", d -> d.any(LABEL, Set.of("red", "blue")::contains)),
                f("tags.label NOT IN ('red', 'green')", d -> d.none(LABEL, Set.of("red", "green")::contains)),
                // attributes
                // statuses ignore case (MLflow users write them upper-case), LIKE included; bare names are attributes
                f("attributes.status IN ('FAILED', 'interrupted')",
                        d -> d.any(STATUS, Set.of("failed", "interrupted")::contains)),
                f("attributes.status = 'FINISHED'", d -> d.any(STATUS, "finished"::equals)),
                f("status = 'Crashed'", d -> d.any(STATUS, "crashed"::equals)),
                f("run.status != 'RUNNING'", d -> d.none(STATUS, "running"::equals)),
                f("attributes.status NOT IN ('RUNNING', 'failed')",
                        d -> d.none(STATUS, Set.of("running", "failed")::contains)),
                f("attributes.status LIKE 'F%'", d -> d.any(STATUS, v -> v.startsWith("f"))),
                f("attributes.status LIKE '%ED'", d -> d.any(STATUS, v -> v.endsWith("ed"))),
                f("attr.status ILIKE 'f%'", d -> d.any(STATUS, v -> v.toLowerCase(Locale.ROOT).startsWith("f"))),
                f("attributes.start_time >= 1700000500000", d -> d.num(START, v -> v >= T0 + 500_000)),
                f("attributes.end_time > 0", d -> d.num(END, v -> v > 0)),
                f("attributes.run_id = 'r7'", d -> d.id() == 7),
                f("run_id IN ('r7', 'r8')", d -> d.id() == 7 || d.id() == 8),
                f("created >= 1700000500000", d -> d.num(START, v -> v >= T0 + 500_000)),
                // IS NULL / IS NOT NULL on params, tags, metrics and attributes
                f("tags.note IS NULL", d -> !d.has(NOTE)),
                f("tags.note IS NOT NULL", d -> d.has(NOTE)),
                f("params.arch IS NULL OR params.arch = 'mor'", d -> !d.has(ARCH) || d.any(ARCH, "mor"::equals)),
                f("metrics.acc IS NULL", d -> !d.has(ACC)),
                f("metrics.loss IS NOT NULL AND metrics.acc IS NULL", d -> d.has(LOSS) && !d.has(ACC)),
                f("attributes.end_time IS NULL", d -> !d.has(END)),
                f("tags.label IS NOT NULL AND tags.label != 'red'", d -> d.none(LABEL, "red"::equals)),
                // AND, OR, parentheses, precedence
                f("metrics.acc > 0.5 and params.arch = 'mor'",
                        d -> d.num(ACC, v -> v > 0.5) && d.any(ARCH, "mor"::equals)),
                f("(params.arch = 'mor' OR params.arch = 'universal') AND metrics.acc >= 0.5",
                        d -> d.any(ARCH, Set.of("mor", "universal")::contains) && d.num(ACC, v -> v >= 0.5)),
                f("params.arch = 'mor' OR metrics.acc > 0.9 AND tags.note LIKE '%carry%'",
                        d -> d.any(ARCH, "mor"::equals) || d.num(ACC, v -> v > 0.9) && d.any(NOTE, v -> v.contains("carry"))),
                f("params.arch != 'mor' OR params.arch = 'mor'", d -> d.any(ARCH, v -> true)),
                f("metrics.acc != 0.5 OR metrics.loss != 0", d -> d.num(ACC, v -> v != 0.5) || d.num(LOSS, v -> v != 0)),
                // keys no document has: every clause is false, != and NOT IN included
                f("metrics.nothing != 1", d -> false),
                f("params.nothing NOT IN ('a')", d -> false),
                f("params.nothing != 'a' OR metrics.acc = 1", d -> d.num(ACC, v -> v == 1)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("filters")
    void matchesWhatThePlainJavaFilterSelects(String filter, Predicate<IndexedDoc> expected) throws IOException {
        Set<Integer> want = docs.stream().filter(expected).map(IndexedDoc::id).collect(Collectors.toCollection(TreeSet::new));
        Query query = FilterQueries.toQuery(filter, Scope.RUNS);
        assertThat(index.ids(query)).as("seed %d, filter %s, query %s", seed, filter, query).containsExactlyInAnyOrderElementsOf(want);
        Set<Integer> reference = docs.stream().filter(d -> Reference.matches(FilterParser.parse(filter, Scope.RUNS), d))
                .map(IndexedDoc::id).collect(Collectors.toCollection(TreeSet::new));
        assertThat(reference).as("the oracle agrees, seed %d, filter %s", seed, filter).containsExactlyInAnyOrderElementsOf(want);
    }

    @Test
    @SuppressWarnings("unchecked")
    void fixedDocumentsMakeTheTableMeaningful() {
        assertThat(index.segments()).isGreaterThanOrEqualTo(1);
        long nonTrivial = filters().map(a -> (Predicate<IndexedDoc>) a.get()[1])
                .filter(p -> docs.stream().anyMatch(p) && !docs.stream().allMatch(p)).count();
        assertThat(nonTrivial).as("seed %d", seed).isGreaterThanOrEqualTo(filters().count() - 5);
    }

    @Test
    void randomFiltersMatchTheReference() throws IOException {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < 300; i++) {
            Filter filter = RandomRunFilters.filter(random, 0);
            String text = filter.toString();
            Set<Integer> want = docs.stream().filter(d -> Reference.matches(filter, d)).map(IndexedDoc::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(index.ids(FilterQueries.toQuery(text, Scope.RUNS))).as("seed %d, filter %s", seed, text)
                    .containsExactlyInAnyOrderElementsOf(want);
        }
    }

    static Stream<Arguments> orderings() {
        return Stream.of(
                Arguments.of("metrics.acc DESC", ""),
                Arguments.of("metrics.acc", ""),
                Arguments.of("metrics.loss asc", ""),
                Arguments.of("metrics.loss DESC", ""),
                Arguments.of("metrics.acc DESC, metrics.loss ASC", ""),
                Arguments.of("metric.loss desc, metrics.acc desc", "params.arch LIKE '%r%'"),
                Arguments.of("attributes.end_time DESC, attributes.start_time", ""),
                Arguments.of("metrics.nothing, metrics.acc", "metrics.acc >= 0.5"),
                // strings: params, tags (several values: the smallest), attributes; bare attribute names
                Arguments.of("params.arch", ""),
                Arguments.of("params.arch DESC", ""),
                Arguments.of("tags.note DESC, metrics.acc", ""),
                Arguments.of("tags.label, params.arch DESC", ""),
                Arguments.of("attributes.status, metrics.acc DESC", ""),
                Arguments.of("status DESC, start_time", "metrics.acc > 0.5"),
                Arguments.of("run_id DESC", ""));
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("orderings")
    void sortsWithMissingValuesLast(String orderBy, String filter) throws IOException {
        OrderBy order = OrderBy.parse(orderBy, Scope.RUNS);
        List<Integer> ids = index.sorted(FilterQueries.toQuery(filter, Scope.RUNS), order.toSort());

        Filter parsed = FilterParser.parse(filter, Scope.RUNS);
        List<List<Comparable<?>>> want = docs.stream().filter(d -> Reference.matches(parsed, d))
                .map(d -> sortValues(d, order)).sorted(tupleOrder(order)).toList();
        List<List<Comparable<?>>> got = ids.stream().map(id -> sortValues(docs.get(id), order)).toList();
        assertThat(got).as("seed %d, order by %s", seed, order).isEqualTo(want);
    }

    /** Regression: more than 1,024 comparisons surfaced Lucene's "maxClauseCount is set to 1024". */
    @Test
    void anOversizeFilterIsOneLineInTheGrammarsTerms() {
        String filter = IntStream.range(0, 1300).mapToObj(i -> "metrics.acc = " + i).collect(Collectors.joining(" OR "));
        int column = filter.indexOf("metrics.acc = 512 ") + 1;
        assertThatThrownBy(() -> FilterQueries.toQuery(filter, Scope.RUNS))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage("filter error at column " + column + ": the filter has 1,300 comparisons; at most 512 are"
                        + " allowed (IN lists count one per value)");
        Filter tree = new Or(IntStream.range(0, 600).mapToObj(i -> (Filter) new Comparison(Key.of(KeyScope.METRICS,
                "acc"), Op.EQ, new NumberLiteral(i))).toList());
        assertThatThrownBy(() -> FilterQueries.toQuery(tree, Scope.RUNS))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("the filter has 600 comparisons; at most 512 are allowed (IN lists count one per value)");
    }

    /** The bound is checked: the costliest filters of MAX_COMPARISONS comparisons run on Lucene's default limit. */
    @Test
    void theLargestFiltersRunOnTheIndex() throws IOException {
        int half = FilterParser.MAX_COMPARISONS / 2;
        String negations = "(" + IntStream.range(0, half).mapToObj(i -> "params.arch != 'v" + i + "'")
                .collect(Collectors.joining(" AND ")) + ") OR ("
                + IntStream.range(0, half - 1).mapToObj(i -> i % 2 == 0 ? "tags.note IS NULL" : "metrics.acc != " + i)
                .collect(Collectors.joining(" AND ")) + " AND attributes.status NOT IN ('CRASHED'))";
        String list = "params.arch NOT IN (" + IntStream.range(0, FilterParser.MAX_COMPARISONS - 1)
                .mapToObj(i -> i == 0 ? "'mor'" : "'v" + i + "'").collect(Collectors.joining(", ")) + ") OR tags.note = 'x'";
        for (String filter : List.of(negations, list)) {
            Filter parsed = FilterParser.parse(filter, Scope.RUNS);
            assertThat(FilterParser.comparisons(parsed)).isEqualTo(FilterParser.MAX_COMPARISONS);
            Set<Integer> want = docs.stream().filter(d -> Reference.matches(parsed, d)).map(IndexedDoc::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(want).as("seed %d: a meaningful filter", seed).isNotEmpty();
            assertThat(index.ids(FilterQueries.toQuery(filter, Scope.RUNS))).as("seed %d", seed)
                    .containsExactlyInAnyOrderElementsOf(want);
        }
    }

    @Test
    void rejectsTreesThatBreakTheRules() {
        Filter wrongType = new Comparison(Key.of(KeyScope.METRICS, "acc"), Op.EQ, new StringLiteral("x"));
        assertThatThrownBy(() -> FilterQueries.toQuery(wrongType, Scope.RUNS))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics.acc needs a number, got string 'x' (in metrics.acc = 'x')");
        Filter bare = FilterParser.parse("carry_chain > 1");
        assertThatThrownBy(() -> FilterQueries.toQuery(bare, Scope.RUNS))
                .hasMessageStartingWith("'carry_chain' has no prefix");
        assertThatThrownBy(() -> FilterQueries.toQuery("carry_chain > 1", Scope.RUNS))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> assertThat(e.column()).isEqualTo(1));
        assertThat(FilterQueries.toQuery(Filter.ALL, Scope.RUNS)).isEqualTo(new MatchAllDocsQuery());
    }

    /**
     * The sort keys of a document, null where missing: numbers normalised as the index stores them, strings the
     * smallest value (all test strings are ASCII, so String order is the index's code-point order).
     */
    private static List<Comparable<?>> sortValues(IndexedDoc doc, OrderBy order) {
        List<Comparable<?>> values = new ArrayList<>();
        for (OrderBy.Term term : order.terms()) {
            String key = term.key().canonical();
            if (term.key().scope() == KeyScope.PARAMS || term.key().scope() == KeyScope.TAGS
                    || (term.key().scope() == KeyScope.ATTRIBUTES && !key.endsWith("_time"))) {
                values.add(doc.smallest(key));
            } else {
                Double v = doc.number(key);
                values.add(v == null ? null : IndexFields.normalise(v));
            }
        }
        return values;
    }

    /** Term by term: missing after present in both directions, present values by direction. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<List<Comparable<?>>> tupleOrder(OrderBy order) {
        return (a, b) -> {
            for (int i = 0; i < order.terms().size(); i++) {
                Comparable x = a.get(i);
                Comparable y = b.get(i);
                int c = x == null ? (y == null ? 0 : 1) : y == null ? -1
                        : order.terms().get(i).descending() ? y.compareTo(x) : x.compareTo(y);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }
}
