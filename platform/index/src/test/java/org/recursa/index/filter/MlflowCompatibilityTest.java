package org.recursa.index.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.index.RunDocuments;
import org.recursa.index.RunSummary;

/**
 * MLflow's own {@code search_runs} test strings (tests/utils/test_search_utils.py: test_filter,
 * test_correct_quote_trimming, test_error_filter, test_bad_quotes, test_invalid_clauses, test_correct_filtering,
 * test_correct_sorting, test_invalid_order_by_search_runs; attribute aliases as tests/store/tracking exercise
 * them) against Recursa's parser, and MLflow's three-run fixture indexed by {@link RunDocuments} into a real
 * on-disk index. Where Recursa differs (OR, IS NULL on metrics, ties in index order, missing attributes and
 * datasets), the row says so; docs/search.md lists the differences.
 */
class MlflowCompatibilityTest {

    private static final String UNKNOWN_PREFIX = "; valid prefixes: metrics, params, tags, attributes (also metric,"
            + " param, parameters, tag, attribute, attr; each may follow run.)";
    private static final String ATTRIBUTES = "status, run_id, run_name, task, arch, start_time, end_time";

    private static Directory directory;
    private static DirectoryReader reader;

    /** MLflow's fixture of test_correct_sorting and test_correct_filtering, plus a run name on the second run. */
    @BeforeAll
    static void index(@TempDir Path dir) throws IOException {
        List<RunSummary> runs = List.of(
                run("9", "failed", 0, 121, "A", Map.of()),
                run("8", "finished", 1, 123, "A", Map.of("tag1", "C", "mlflow.runName", "alpha")),
                run("7", "FAILED", 1, 125, "B", Map.of("tag1", "D")));
        directory = FSDirectory.open(dir);
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (RunSummary run : runs) {
                writer.addDocument(RunDocuments.run(run));
            }
        }
        reader = DirectoryReader.open(directory);
    }

    private static RunSummary run(String id, String status, long start, double key1, String param,
                                  Map<String, String> tags) {
        return new RunSummary(id, Path.of("runs", id), status, "copy", "vanilla", start, 10,
                new TreeMap<>(Map.of("my_param", param)), new TreeMap<>(Map.of("key1", key1)), new TreeMap<>(tags),
                null);
    }

    @AfterAll
    static void close() throws IOException {
        reader.close();
        directory.close();
    }

    static Stream<Arguments> supported() {
        return Stream.of(
                // test_filter
                Arguments.of("metric.acc >= 0.94", "metrics.acc >= 0.94"),
                Arguments.of("metric.acc>=100", "metrics.acc >= 100"),
                Arguments.of("params.m!='tf'", "params.m != 'tf'"),
                Arguments.of("params.\"m\"!=\"tf\"", "params.m != 'tf'"),
                Arguments.of("metric.\"legit name\" >= 0.243", "metrics.`legit name` >= 0.243"),
                Arguments.of("metrics.XYZ = 3", "metrics.XYZ = 3"),
                Arguments.of("params.\"cat dog\" = \"pets\"", "params.`cat dog` = 'pets'"),
                Arguments.of("metrics.\"X-Y-Z\" = 3", "metrics.X-Y-Z = 3"),
                Arguments.of("metrics.\"X//Y#$$@&Z\" = 3", "metrics.`X//Y#$$@&Z` = 3"),
                Arguments.of("params.model = 'LinearRegression'", "params.model = 'LinearRegression'"),
                Arguments.of("metrics.rmse < 1 and params.model_class = 'LR'",
                        "metrics.rmse < 1 AND params.model_class = 'LR'"),
                Arguments.of("", ""),
                Arguments.of("`metric`.a >= 0.1", "metrics.a >= 0.1"),
                Arguments.of("tags.version = 'commit-hash'", "tags.version = 'commit-hash'"),
                Arguments.of("`tags`.source_name = 'a notebook'", "tags.source_name = 'a notebook'"),
                Arguments.of("metrics.\"accuracy.2.0\" > 5", "metrics.accuracy.2.0 > 5"),
                Arguments.of("metrics.`spacey name` > 5", "metrics.`spacey name` > 5"),
                Arguments.of("params.\"p.a.r.a.m\" != \"a\"", "params.p.a.r.a.m != 'a'"),
                Arguments.of("tags.\"t.a.g\" = \"a\"", "tags.t.a.g = 'a'"),
                Arguments.of("attribute.start_time >= 1234", "attributes.start_time >= 1234"),
                Arguments.of("run.status = 'RUNNING'", "attributes.status = 'RUNNING'"),
                Arguments.of("tags.version IS NULL", "tags.version IS NULL"),
                Arguments.of("tags.version IS NOT NULL", "tags.version IS NOT NULL"),
                Arguments.of("params.lr IS NULL", "params.lr IS NULL"),
                Arguments.of("params.lr IS NOT NULL", "params.lr IS NOT NULL"),
                Arguments.of("tags.a IS NULL AND params.b = 'val'", "tags.a IS NULL AND params.b = 'val'"),
                // test_correct_quote_trimming
                Arguments.of("params.m = 'LR'", "params.m = 'LR'"),
                Arguments.of("params.m = \"LR\"", "params.m = 'LR'"),
                Arguments.of("params.m = \"L'Hosp\"", "params.m = 'L''Hosp'"),
                // attribute aliases and run names, as the tracking stores' tests use them
                Arguments.of("attributes.run_name = 'name'", "attributes.run_name = 'name'"),
                Arguments.of("attributes.`Run name` = 'name'", "attributes.run_name = 'name'"),
                Arguments.of("attributes.`Run Name` ILIKE '%NA%'", "attributes.run_name ILIKE '%NA%'"),
                Arguments.of("attributes.`run name` LIKE 'na%'", "attributes.run_name LIKE 'na%'"),
                Arguments.of("attributes.created >= 0", "attributes.start_time >= 0"),
                Arguments.of("attributes.Created < 5", "attributes.start_time < 5"),
                Arguments.of("attributes.run_id IN ('a', 'b')", "attributes.run_id IN ('a', 'b')"),
                Arguments.of("attributes.run_id NOT IN ('a')", "attributes.run_id NOT IN ('a')"),
                Arguments.of("tags.`mlflow.runName` = 'x'", "tags.mlflow.runName = 'x'"),
                Arguments.of("attributes.status = 'FINISHED'", "attributes.status = 'FINISHED'"),
                Arguments.of("attr.end_time > 0", "attributes.end_time > 0"),
                Arguments.of("run_name = 'x'", "attributes.run_name = 'x'"),
                // invalid in MLflow, valid in Recursa: OR and parentheses, IS NULL on metrics and attributes
                Arguments.of("metrics.A > 0.1 OR params.B = 'LR'", "metrics.A > 0.1 OR params.B = 'LR'"),
                Arguments.of("metrics.A > 0.1 AND (params.B = 'LR')", "metrics.A > 0.1 AND params.B = 'LR'"),
                Arguments.of("metrics.acc IS NULL", "metrics.acc IS NULL"),
                Arguments.of("attribute.status IS NULL", "attributes.status IS NULL"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("supported")
    void parsesMlflowFilters(String filter, String canonical) {
        Filter parsed = FilterParser.parse(filter, Scope.RUNS);
        assertThat(parsed).hasToString(canonical);
        assertThat(FilterParser.parse(canonical, Scope.RUNS)).isEqualTo(parsed);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // test_error_filter
                Arguments.of("metric.acc >= 0.94; metrics.rmse < 1", 19, "unexpected character ';'"),
                Arguments.of("m.acc >= 0.94", 1, "unknown key prefix 'm'" + UNKNOWN_PREFIX),
                Arguments.of("acc >= 0.94", 1, bare("acc")),
                Arguments.of("p.model >= 'LR'", 1, "unknown key prefix 'p'" + UNKNOWN_PREFIX),
                Arguments.of("attri.x != 1", 1, "unknown key prefix 'attri'" + UNKNOWN_PREFIX),
                Arguments.of("a.x != 1", 1, "unknown key prefix 'a'" + UNKNOWN_PREFIX),
                Arguments.of("model >= 'LR'", 1, bare("model")),
                Arguments.of("metrics.A > 0.1 NAND params.B = 'LR'", 17,
                        "unexpected 'NAND' after a complete comparison; join comparisons with AND or OR"),
                Arguments.of("`metrics.A > 0.1", 1, "unterminated quoted name (missing closing `)"),
                Arguments.of("param`.A > 0.1", 1, "'param' needs a key name: param.<name>"),
                Arguments.of("`dummy.A > 0.1", 1, "unterminated quoted name (missing closing `)"),
                Arguments.of("dummy`.A > 0.1", 1, bare("dummy")),
                Arguments.of("attribute.start != 1", 1, "unknown attribute 'start'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute.experiment_id != 1", 1,
                        "unknown attribute 'experiment_id'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute.lifecycle_stage = 'ACTIVE'", 1,
                        "unknown attribute 'lifecycle_stage'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute.name != 1", 1, "unknown attribute 'name'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute.time != 1", 1, "unknown attribute 'time'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute._status != 'RUNNING'", 1,
                        "unknown attribute '_status'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute.status = true", 20,
                        "expected a value after '=', got 'true' (quote strings: 'true')"),
                Arguments.of("attribute.artifact_uri = '1/23/4'", 1,
                        "unknown attribute 'artifact_uri'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute.user_id = 'user-id2'", 1,
                        "unknown attribute 'user_id'; valid attributes: " + ATTRIBUTES),
                Arguments.of("dataset.name = 'my_dataset'", 1, "unknown key prefix 'dataset'" + UNKNOWN_PREFIX),
                Arguments.of("datasets.digest IN ('digest1', 'digest2')", 1,
                        "unknown key prefix 'datasets'" + UNKNOWN_PREFIX),
                // test_error_comparison_clauses
                Arguments.of("metric.model = 'LR'", 16, "metrics.model needs a number, got string 'LR'"),
                Arguments.of("metric.model = '5'", 16, "metrics.model needs a number, got string '5'"),
                Arguments.of("params.acc = 5", 14, "params.acc needs a quoted string, got number 5"),
                Arguments.of("tags.acc = 5", 12, "tags.acc needs a quoted string, got number 5"),
                Arguments.of("metrics.acc != metrics.acc", 16,
                        "expected a value after '!=', got 'metrics.acc' (quote strings: 'metrics.acc')"),
                Arguments.of("1.0 > metrics.acc", 1, "expected a comparison, got number 1.0"),
                Arguments.of("attribute.status = 1", 20, "attributes.status needs a quoted string, got number 1"),
                Arguments.of("`params`.model >= 'LR'", 16, "operator >= is not supported for params.model, a string;"
                        + " use =, !=, LIKE, ILIKE, IN or NOT IN"),
                // test_bad_quotes
                Arguments.of("params.acc = LR", 14, "expected a value after '=', got 'LR' (quote strings: 'LR')"),
                Arguments.of("tags.acc = LR", 12, "expected a value after '=', got 'LR' (quote strings: 'LR')"),
                Arguments.of("params.acc = `LR`", 14, "expected a value after '=', got quoted name `LR`"),
                Arguments.of("params.'acc = LR", 8, "unterminated string (missing closing ')"),
                Arguments.of("params.acc = 'LR", 14, "unterminated string (missing closing ')"),
                Arguments.of("params.acc = LR'", 14, "expected a value after '=', got 'LR' (quote strings: 'LR')"),
                Arguments.of("params.acc = \"LR'", 14, "unterminated string (missing closing \")"),
                Arguments.of("tags.acc = = 'LR'", 12, "expected a value after '=', got '='"),
                Arguments.of("attribute.status IS 'RUNNING'", 21,
                        "expected NULL or NOT NULL after IS, got string 'RUNNING'; compare values with = or !="),
                // test_invalid_clauses
                Arguments.of("params.acc LR !=", 12, "expected a comparison operator after 'params.acc', got 'LR'"),
                Arguments.of("params.acc LR", 12, "expected a comparison operator after 'params.acc', got 'LR'"),
                Arguments.of("metric.acc !=", 14, "expected a value after '!=', got end of filter"),
                Arguments.of("acc != 1.0", 1, bare("acc")),
                Arguments.of("foo is null", 1, bare("foo")),
                Arguments.of("1=1", 1, "expected a comparison, got number 1"),
                Arguments.of("1==2", 1, "expected a comparison, got number 1"),
                // test_bad_comparators
                Arguments.of("metrics.abc ~ 1.0", 13, "unexpected character '~'"),
                Arguments.of("params.abc < 'my-param-value'", 12, "operator < is not supported for params.abc, a"
                        + " string; use =, !=, LIKE, ILIKE, IN or NOT IN"),
                Arguments.of("attributes.start_time LIKE 1234", 23, "operator LIKE is not supported for"
                        + " attributes.start_time, a number; use =, !=, <, <=, > or >="));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejected")
    void rejectsWithTheExactError(String filter, int column, String detail) {
        assertThatThrownBy(() -> FilterParser.parse(filter, Scope.RUNS))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.detail()).isEqualTo(detail);
                    assertThat(e.column()).isEqualTo(column);
                });
    }

    private static String bare(String name) {
        return "unknown attribute '" + name + "'; a name without prefix is an attribute (" + ATTRIBUTES + "); write"
                + " metrics." + name + ", params." + name + " or tags." + name + " for the others";
    }

    /** test_correct_filtering on MLflow's fixture, and run names, aliases and IS NULL on the same runs. */
    static Stream<Arguments> filtering() {
        return Stream.of(
                Arguments.of("", List.of(0, 1, 2)),
                Arguments.of("attributes.status = 'FAILED'", List.of(0, 2)),
                Arguments.of("metrics.key1 = 123", List.of(1)),
                Arguments.of("metrics.key1 != 123", List.of(0, 2)),
                Arguments.of("metrics.key1 >= 123", List.of(1, 2)),
                Arguments.of("params.my_param = 'A'", List.of(0, 1)),
                Arguments.of("tags.tag1 = 'D'", List.of(2)),
                Arguments.of("tags.tag1 != 'D'", List.of(1)),
                Arguments.of("params.my_param = 'A' AND attributes.status = 'FAILED'", List.of(0)),
                Arguments.of("attribute.start_time >= 0", List.of(0, 1, 2)),
                Arguments.of("attribute.start_time > 0", List.of(1, 2)),
                Arguments.of("created = 1", List.of(1, 2)),
                Arguments.of("run.status = 'Finished'", List.of(1)),
                Arguments.of("status IN ('RUNNING', 'FAILED')", List.of(0, 2)),
                Arguments.of("attributes.status LIKE 'FAIL%'", List.of(0, 2)),
                Arguments.of("tags.tag1 IS NULL", List.of(0)),
                Arguments.of("tags.tag1 IS NOT NULL", List.of(1, 2)),
                Arguments.of("params.my_param IS NULL", List.of()),
                Arguments.of("metrics.key1 IS NOT NULL AND attributes.end_time IS NOT NULL", List.of(0, 1, 2)),
                // run_name follows the tag mlflow.runName, else it is the run id
                Arguments.of("attributes.run_name = 'alpha'", List.of(1)),
                Arguments.of("attributes.`Run name` LIKE 'al%'", List.of(1)),
                Arguments.of("tags.`mlflow.runName` = 'alpha'", List.of(1)),
                Arguments.of("run_name IN ('9', '7')", List.of(0, 2)),
                Arguments.of("run_name = '8'", List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("filtering")
    void filtersMlflowsRuns(String filter, List<Integer> expected) throws IOException {
        assertThat(search(filter, Sort.INDEXORDER)).isEqualTo(expected);
    }

    /**
     * test_correct_sorting: the same orders where MLflow's keys decide; on ties Recursa keeps index order where
     * MLflow falls back to start time (descending) and run id, so those rows differ and say so.
     */
    static Stream<Arguments> sorting() {
        return Stream.of(
                Arguments.of("", List.of(0, 1, 2)),
                Arguments.of("tags.noSuchTag", List.of(0, 1, 2)),              // MLflow: 2, 1, 0 (ties)
                Arguments.of("attributes.status", List.of(0, 2, 1)),          // MLflow: 2, 0, 1 (ties)
                Arguments.of("attributes.start_time", List.of(0, 1, 2)),      // MLflow: 0, 2, 1 (ties)
                Arguments.of("metrics.key1 asc", List.of(0, 1, 2)),
                Arguments.of("metrics.\"key1\"  desc", List.of(2, 1, 0)),
                Arguments.of("params.my_param", List.of(0, 1, 2)),            // MLflow: 1, 0, 2 (ties)
                Arguments.of("params.my_param aSc, attributes.status  ASC", List.of(0, 1, 2)),
                Arguments.of("params.my_param, attributes.status DESC", List.of(1, 0, 2)),
                Arguments.of("params.my_param DESC, attributes.status   DESC", List.of(2, 1, 0)),
                Arguments.of("params.`my_param` DESC, attributes.status DESC", List.of(2, 1, 0)),
                Arguments.of("tags.tag1", List.of(1, 2, 0)),
                Arguments.of("tags.tag1    DESC", List.of(2, 1, 0)),
                // bare attribute names and aliases; run names: '9', 'alpha' (tag), '7'
                Arguments.of("status DESC, start_time DESC", List.of(1, 2, 0)),
                Arguments.of("created DESC, metrics.key1", List.of(1, 2, 0)),
                Arguments.of("attributes.`Run name`", List.of(2, 0, 1)),
                Arguments.of("run.run_name DESC", List.of(1, 0, 2)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("sorting")
    void sortsMlflowsRuns(String orderBy, List<Integer> expected) throws IOException {
        assertThat(search("", OrderBy.parse(orderBy, Scope.RUNS).toSort())).isEqualTo(expected);
    }

    static Stream<Arguments> orderByRejected() {
        return Stream.of(
                Arguments.of("m.acc", 1, "unknown key prefix 'm'" + UNKNOWN_PREFIX),
                Arguments.of("acc", 1, bare("acc")),
                Arguments.of("attri.x", 1, "unknown key prefix 'attri'" + UNKNOWN_PREFIX),
                Arguments.of("`metrics.A", 1, "unterminated quoted name (missing closing `)"),
                Arguments.of("`metrics.A`", 1,
                        "'metrics.A' is quoted as one name; quote only the name after the prefix: metrics.`A`"),
                Arguments.of("attribute.start", 1, "unknown attribute 'start'; valid attributes: " + ATTRIBUTES),
                Arguments.of("attribute.experiment_id", 1,
                        "unknown attribute 'experiment_id'; valid attributes: " + ATTRIBUTES),
                Arguments.of("metrics.A != 1", 11, "expected ASC, DESC, ',' or the end after 'metrics.A', got '!='"),
                Arguments.of("attribute.run_id ACS", 18,
                        "expected ASC, DESC, ',' or the end after 'attribute.run_id', got 'ACS'"),
                Arguments.of("attribute.run_id decs", 18,
                        "expected ASC, DESC, ',' or the end after 'attribute.run_id', got 'decs'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("orderByRejected")
    void rejectsMlflowsInvalidOrderBys(String orderBy, int column, String detail) {
        assertThatThrownBy(() -> OrderBy.parse(orderBy, Scope.RUNS))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.detail()).isEqualTo(detail);
                    assertThat(e.column()).isEqualTo(column);
                });
    }

    /** The fixture positions (0, 1, 2) of the runs a filter matches, in {@code sort} order. */
    private static List<Integer> search(String filter, Sort sort) throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        List<String> ids = List.of("9", "8", "7");
        List<Integer> hits = new ArrayList<>();
        for (ScoreDoc hit : searcher.search(FilterQueries.toQuery(filter, Scope.RUNS), 10, sort).scoreDocs) {
            hits.add(ids.indexOf(searcher.storedFields().document(hit.doc).get(RunDocuments.RUN)));
        }
        return hits;
    }
}
