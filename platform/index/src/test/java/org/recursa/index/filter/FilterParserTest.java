package org.recursa.index.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grammar as two tables, after MLflow's search_utils tests: valid filters with their canonical rendering,
 * and invalid filters with the exact column and message of the first problem.
 */
class FilterParserTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                // prefixes and their aliases
                Arguments.of("metrics.acc > 0.5", "metrics.acc > 0.5"),
                Arguments.of("metric.acc>=1", "metrics.acc >= 1"),
                Arguments.of("params.arch = 'mor'", "params.arch = 'mor'"),
                Arguments.of("param.arch = \"mor\"", "params.arch = 'mor'"),
                Arguments.of("parameters.arch != 'mor'", "params.arch != 'mor'"),
                Arguments.of("tag.note LIKE '%carry%'", "tags.note LIKE '%carry%'"),
                Arguments.of("tags.note ilike '%Carry%'", "tags.note ILIKE '%Carry%'"),
                Arguments.of("attribute.status = 'FINISHED'", "attributes.status = 'FINISHED'"),
                Arguments.of("attr.run_id IN ('a', 'b')", "attributes.run_id IN ('a', 'b')"),
                Arguments.of("attributes.start_time < 1700000000000", "attributes.start_time < 1700000000000"),
                Arguments.of("params.arch not in ('mor','universal')", "params.arch NOT IN ('mor', 'universal')"),
                Arguments.of("params.arch In ('mor')", "params.arch IN ('mor')"),
                // quoted names
                Arguments.of("metrics.`my metric` > 1", "metrics.`my metric` > 1"),
                Arguments.of("params.\"x y\" = 'a'", "params.`x y` = 'a'"),
                Arguments.of("metrics.'prediction accuracy' >= 0.945", "metrics.`prediction accuracy` >= 0.945"),
                Arguments.of("metrics.`a``b` = 1", "metrics.`a``b` = 1"),
                Arguments.of("`and` = 'x'", "`and` = 'x'"),
                Arguments.of("\"a.b\" = 'x'", "`a.b` = 'x'"),
                Arguments.of("metrics.loss/aux-1 <= 2", "metrics.loss/aux-1 <= 2"),
                Arguments.of("metrics.a.b > 1", "metrics.a.b > 1"),
                // bare and run. keys
                Arguments.of("carry_chain >= 6", "carry_chain >= 6"),
                Arguments.of("run = 'r1'", "run = 'r1'"),
                Arguments.of("run.params.arch = 'universal'", "run.params.arch = 'universal'"),
                Arguments.of("run.metric.acc < -1.5e-3", "run.metrics.acc < -0.0015"),
                Arguments.of("run.attr.start_time >= 0", "run.attributes.start_time >= 0"),
                // values
                Arguments.of("note = 'it''s'", "note = 'it''s'"),
                Arguments.of("note = \"say \"\"hi\"\"\"", "note = 'say \"hi\"'"),
                Arguments.of("x = 1E3", "x = 1000"),
                Arguments.of("x = 2.5E+3", "x = 2500"),
                Arguments.of("x = .5", "x = 0.5"),
                Arguments.of("x = -.5", "x = -0.5"),
                Arguments.of("x = 5.", "x = 5"),
                Arguments.of("x = -0", "x = 0"),
                Arguments.of("x = 1e-5", "x = 1.0E-5"),
                Arguments.of("x = 123456789012345678901", "x = 1.2345678901234568E20"),
                Arguments.of("x like 'a\\%b'", "x LIKE 'a\\%b'"),
                Arguments.of("x = ''", "x = ''"),
                // AND, OR, parentheses
                Arguments.of("a = 1 and b = 2 or c = 3", "a = 1 AND b = 2 OR c = 3"),
                Arguments.of("a = 1 or b = 2 and c = 3", "a = 1 OR b = 2 AND c = 3"),
                Arguments.of("a = 1 and (b = 2 or c = 3)", "a = 1 AND (b = 2 OR c = 3)"),
                Arguments.of("((a = 1))", "a = 1"),
                Arguments.of("(a = 1 AND b = 2) AND c = 3", "a = 1 AND b = 2 AND c = 3"),
                Arguments.of("a = 1 OR (b = 2 OR c = 3)", "a = 1 OR b = 2 OR c = 3"),
                Arguments.of("A = 1 And B = 2 oR C = 3", "A = 1 AND B = 2 OR C = 3"),
                Arguments.of("(a=1)or(b='x')", "a = 1 OR b = 'x'"),
                Arguments.of("\ta = 1\n  AND\r\n b = 2 ", "a = 1 AND b = 2"),
                Arguments.of("task = 'binary-successor' and verdict = 'wrong' and carry_chain >= 6"
                                + " and run.params.arch = 'universal'",
                        "task = 'binary-successor' AND verdict = 'wrong' AND carry_chain >= 6"
                                + " AND run.params.arch = 'universal'"),
                // IS NULL / IS NOT NULL on every kind of key
                Arguments.of("params.lr IS NULL", "params.lr IS NULL"),
                Arguments.of("tags.version is not null", "tags.version IS NOT NULL"),
                Arguments.of("metrics.acc IS NULL and attributes.end_time Is Not Null",
                        "metrics.acc IS NULL AND attributes.end_time IS NOT NULL"),
                Arguments.of("carry_chain IS NOT NULL", "carry_chain IS NOT NULL"),
                Arguments.of("`null` IS NULL", "`null` IS NULL"),
                // statuses in any case
                Arguments.of("attributes.status = 'Finished'", "attributes.status = 'Finished'"),
                Arguments.of("attributes.status NOT IN ('CRASHED', 'failed')",
                        "attributes.status NOT IN ('CRASHED', 'failed')"),
                Arguments.of("attributes.status LIKE 'FIN%'", "attributes.status LIKE 'FIN%'"),
                // run. as MLflow's alias of attributes., attribute aliases, quoted prefix words
                Arguments.of("run.status = 'RUNNING'", "attributes.status = 'RUNNING'"),
                Arguments.of("run.`Run name` = 'x'", "attributes.run_name = 'x'"),
                Arguments.of("attributes.created > 0", "attributes.start_time > 0"),
                Arguments.of("attr.Created > 0", "attributes.start_time > 0"),
                Arguments.of("attributes.`Run name` = 'x'", "attributes.run_name = 'x'"),
                Arguments.of("attributes.\"run name\" LIKE 'x%'", "attributes.run_name LIKE 'x%'"),
                Arguments.of("`metric`.a >= 0.1", "metrics.a >= 0.1"),
                Arguments.of("`params`.x = 'y'", "params.x = 'y'"),
                Arguments.of("\"tags\".`a b` = 'y'", "tags.`a b` = 'y'"),
                Arguments.of("`run`.params.arch = 'y'", "run.params.arch = 'y'"),
                // the empty filter
                Arguments.of("", ""),
                Arguments.of("  \t ", ""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesToCanonicalText(String filter, String canonical) {
        Filter parsed = FilterParser.parse(filter);
        assertThat(parsed.toString()).isEqualTo(canonical);
        assertThat(FilterParser.parse(canonical)).as("canonical text parses back").isEqualTo(parsed);
    }

    @Test
    void buildsTheTree() {
        Filter parsed = FilterParser.parse("metrics.acc > 0.5 and (params.arch = 'mor' or tags.x in ('a', 'b'))");
        assertThat(parsed).isEqualTo(new And(List.of(
                new Comparison(Key.of(KeyScope.METRICS, "acc"), Op.GT, new NumberLiteral(0.5)),
                new Or(List.of(
                        new Comparison(Key.of(KeyScope.PARAMS, "arch"), Op.EQ, new StringLiteral("mor")),
                        new Comparison(Key.of(KeyScope.TAGS, "x"), Op.IN,
                                List.of(new StringLiteral("a"), new StringLiteral("b"))))))));
        assertThat(FilterParser.parse("")).isEqualTo(Filter.ALL).isInstanceOf(MatchAll.class);
    }

    @Test
    void keysRenderTheirIndexKey() {
        assertThat(((Comparison) FilterParser.parse("run.param.arch = 'x'")).key().canonical())
                .isEqualTo("run.params.arch");
        assertThat(((Comparison) FilterParser.parse("metrics.`my metric` = 1")).key().canonical())
                .isEqualTo("metrics.my metric");
        assertThat(((Comparison) FilterParser.parse("carry_chain = 1")).key().canonical()).isEqualTo("carry_chain");
        assertThat(((Comparison) FilterParser.parse("`a.b` = 1")).key())
                .isEqualTo(Key.bare("a.b")).hasToString("`a.b`");
    }

    @Test
    void equalFiltersAreEqualValues() {
        Filter a = FilterParser.parse("metric.x = 1 AND param.y LIKE 'a%'");
        Filter b = FilterParser.parse("metrics.x = 1.0 and params.y like \"a%\"");
        Filter c = FilterParser.parse("metrics.x = 1 AND params.y LIKE 'b%'");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // tokens
                Arguments.of("params.a = 'abc", 12, "unterminated string (missing closing ')"),
                Arguments.of("params.a = \"abc", 12, "unterminated string (missing closing \")"),
                Arguments.of("metrics.`abc = 1", 9, "unterminated quoted name (missing closing `)"),
                Arguments.of("metrics.acc ~ 1", 13, "unexpected character '~'"),
                Arguments.of("x = 1.2.3", 5, "malformed number '1.2.3'"),
                Arguments.of("x = 1e", 5, "malformed number '1e'"),
                Arguments.of("x = -y", 5, "unexpected character '-'"),
                Arguments.of("x = 1e999", 5, "number 1e999 is out of range"),
                Arguments.of("metrics.a foo 'x", 11, "expected a comparison operator after 'metrics.a', got 'foo'"),
                // operators
                Arguments.of("metrics.acc foo 1", 13, "expected a comparison operator after 'metrics.acc', got 'foo'"),
                Arguments.of("metric.acc 1", 12, "expected a comparison operator after 'metric.acc', got number 1"),
                Arguments.of("metrics.acc == 1", 13,
                        "unknown operator '=='; valid operators: =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN"),
                Arguments.of("metrics.acc <> 1", 13,
                        "unknown operator '<>'; valid operators: =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN"),
                Arguments.of("params.a IS 'x'", 13,
                        "expected NULL or NOT NULL after IS, got string 'x'; compare values with = or !="),
                Arguments.of("params.a IS NOT 'x'", 17, "expected NULL after IS NOT, got string 'x'"),
                Arguments.of("params.a IS", 12,
                        "expected NULL or NOT NULL after IS, got end of filter; compare values with = or !="),
                Arguments.of("params.a = NULL", 12, "NULL is not a value; write key IS NULL or key IS NOT NULL"),
                Arguments.of("params.a IS NULL 'x'", 18,
                        "unexpected string 'x' after a complete comparison; join comparisons with AND or OR"),
                Arguments.of("metrics.acc", 12, "expected a comparison operator after 'metrics.acc', got end of filter"),
                Arguments.of("params.a NOT = 'x'", 14, "expected IN after NOT, got '='"),
                // values
                Arguments.of("metrics.acc >", 14, "expected a value after '>', got end of filter"),
                Arguments.of("params.arch = mor", 15, "expected a value after '=', got 'mor' (quote strings: 'mor')"),
                Arguments.of("params.a LIKE", 14, "expected a value after LIKE, got end of filter"),
                Arguments.of("params.a = and", 12, "expected a value after '=', got 'and'"),
                Arguments.of("x = `y`", 5, "expected a value after '=', got quoted name `y`"),
                Arguments.of("params.a IN ()", 14, "empty IN list; give at least one value"),
                Arguments.of("params.a NOT IN ()", 18, "empty NOT IN list; give at least one value"),
                Arguments.of("params.a IN ('x',)", 18, "expected a value after ',', got ')'"),
                Arguments.of("params.a IN ('x' 'y')", 18, "expected ',' or ')' in the IN list, got string 'y'"),
                Arguments.of("params.a IN ('x'", 17, "expected ',' or ')' in the IN list, got end of filter"),
                Arguments.of("params.a IN 'x'", 13, "expected '(' after IN, got string 'x'"),
                // structure
                Arguments.of("metrics.a > 1 params.b = 'x'", 15,
                        "unexpected 'params.b' after a complete comparison; join comparisons with AND or OR"),
                Arguments.of("(metrics.a > 1", 15, "expected ')' to close the '(' at column 1, got end of filter"),
                Arguments.of("a = 1 and (b = 2 or (c = 3)", 28,
                        "expected ')' to close the '(' at column 11, got end of filter"),
                Arguments.of("metrics.a > 1)", 14, "unbalanced ')': no '(' to close"),
                Arguments.of("()", 2, "expected a comparison after '(', got ')'"),
                Arguments.of("params.a = 'x' AND (", 21, "expected a comparison after '(', got end of filter"),
                Arguments.of("AND metrics.a > 1", 1, "a filter cannot start with AND"),
                Arguments.of("or metrics.a > 1", 1, "a filter cannot start with OR"),
                Arguments.of("metrics.a > 1 AND", 18, "expected a comparison after AND, got end of filter"),
                Arguments.of("metrics.a > 1 and or b = 1", 19, "expected a comparison after AND, got 'or'"),
                Arguments.of("metrics.a > 1 OR", 17, "expected a comparison after OR, got end of filter"),
                Arguments.of("NOT params.a = 'x'", 1, "NOT is only supported in NOT IN and IS NOT NULL; write"
                        + " key NOT IN (...), key != value or key IS NULL"),
                Arguments.of("null = 'x'", 1, "expected a comparison, got 'null'"),
                Arguments.of("in = 'x'", 1, "expected a comparison, got 'in'"),
                Arguments.of("'x' = 'x'", 1, "expected a comparison, got string 'x'"),
                // keys
                Arguments.of("metric5.x = 1", 1, "unknown key prefix 'metric5'; valid prefixes: metrics, params, tags,"
                        + " attributes (also metric, param, parameters, tag, attribute, attr; each may follow run.)"),
                Arguments.of("a = 1 AND run.foo.x = 1", 11,
                        "unknown key prefix 'run.foo'; after run. use metrics, params, tags or attributes"),
                Arguments.of("metrics = 1", 1, "'metrics' needs a key name: metrics.<name>"),
                Arguments.of("run.metrics = 1", 1, "'run.metrics' needs a key name: run.metrics.<name>"),
                Arguments.of("metrics. = 1", 10, "expected a key name after 'metrics.', got '='"),
                Arguments.of("metrics.`` = 1", 9, "empty key name"),
                Arguments.of("`` = 1", 1, "empty key name"),
                Arguments.of("attributes.foo = 'x'", 1, "unknown attribute 'foo'; valid attributes: status, run_id,"
                        + " run_name, task, arch, start_time, end_time"),
                Arguments.of("run.foo = 'x'", 1, "unknown attribute 'foo'; valid attributes: status, run_id,"
                        + " run_name, task, arch, start_time, end_time"),
                Arguments.of("`metricz`.a = 1", 1, "unknown key prefix 'metricz'; valid prefixes: metrics, params,"
                        + " tags, attributes (also metric, param, parameters, tag, attribute, attr; each may follow"
                        + " run.)"),
                Arguments.of("`metric`. = 1", 11, "expected a key name after 'metric.', got '='"),
                Arguments.of(".a = 1", 1, "expected a comparison, got '.a'"),
                Arguments.of("attributes.status = 'FINISH'", 21, "unknown status 'FINISH'; statuses are running,"
                        + " finished, interrupted, failed, crashed (in any case)"),
                Arguments.of("attributes.status IN ('failed', 'dead')", 33, "unknown status 'dead'; statuses are"
                        + " running, finished, interrupted, failed, crashed (in any case)"),
                // types
                Arguments.of("metrics.acc = 'x'", 15, "metrics.acc needs a number, got string 'x'"),
                Arguments.of("params.arch = 5", 15, "params.arch needs a quoted string, got number 5"),
                Arguments.of("tags.note IN ('a', 1)", 20, "tags.note needs a quoted string, got number 1"),
                Arguments.of("attributes.start_time = 'x'", 25, "attributes.start_time needs a number, got string 'x'"),
                Arguments.of("attributes.status = 1", 21, "attributes.status needs a quoted string, got number 1"),
                Arguments.of("params.arch > 'a'", 13, "operator > is not supported for params.arch, a string;"
                        + " use =, !=, LIKE, ILIKE, IN or NOT IN"),
                Arguments.of("attributes.status < 'x'", 19, "operator < is not supported for attributes.status,"
                        + " a string; use =, !=, LIKE, ILIKE, IN or NOT IN"),
                Arguments.of("metrics.acc LIKE '%'", 13, "operator LIKE is not supported for metrics.acc, a number;"
                        + " use =, !=, <, <=, > or >="),
                Arguments.of("metrics.acc NOT IN (1, 2)", 13, "operator NOT IN is not supported for metrics.acc,"
                        + " a number; use =, !=, <, <=, > or >="),
                Arguments.of("attributes.end_time ILIKE 'x'", 21, "operator ILIKE is not supported for"
                        + " attributes.end_time, a number; use =, !=, <, <=, > or >="),
                Arguments.of("carry_chain LIKE 5", 18, "LIKE needs a quoted string pattern, got number 5"),
                Arguments.of("task > 'a'", 8, "> compares numbers, got string 'a'"),
                Arguments.of("task IN ('a', 5)", 15,
                        "IN takes quoted strings, got number 5; compare numbers with = and OR"),
                Arguments.of("x LIKE 'abc\\'", 8,
                        "LIKE pattern ends with the escape character \\; write \\\\ for a backslash"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void reportsTheFirstProblem(String filter, int column, String detail) {
        assertThatThrownBy(() -> FilterParser.parse(filter))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.detail()).isEqualTo(detail);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.getMessage()).isEqualTo("filter error at column " + column + ": " + detail);
                    assertThat(e.input()).isEqualTo(filter);
                });
    }

    static Stream<Arguments> outOfScope() {
        return Stream.of(
                Arguments.of("carry_chain >= 6", Scope.RUNS, 1, "unknown attribute 'carry_chain'; a name without"
                        + " prefix is an attribute (status, run_id, run_name, task, arch, start_time, end_time);"
                        + " write metrics.carry_chain, params.carry_chain or tags.carry_chain for the others"),
                Arguments.of("metrics.a > 1 and run.param.arch = 'x'", Scope.RUNS, 19,
                        "'run.params.arch' is an artifact filter key; in a run filter write params.arch"),
                Arguments.of("verdict = 'wrong' or metric.acc > 0.5", Scope.ARTIFACTS, 22,
                        "'metrics.acc' is a run key; in an artifact filter write run.metrics.acc"));
    }

    /** What a key means depends on the scope: bare names and run. are attributes in run filters, as in MLflow. */
    static Stream<Arguments> scoped() {
        return Stream.of(
                Arguments.of("start_time > 5", Scope.RUNS, "attributes.start_time > 5"),
                Arguments.of("run_name = 'x' AND status = 'failed'", Scope.RUNS,
                        "attributes.run_name = 'x' AND attributes.status = 'failed'"),
                Arguments.of("created > 0 AND `Run name` = 'x'", Scope.RUNS,
                        "attributes.start_time > 0 AND attributes.run_name = 'x'"),
                Arguments.of("run.status = 'failed'", Scope.RUNS, "attributes.status = 'failed'"),
                Arguments.of("run.status = 'failed'", Scope.ARTIFACTS, "run.attributes.status = 'failed'"),
                Arguments.of("run.created > 0 AND run.params.arch = 'mor'", Scope.ARTIFACTS,
                        "run.attributes.start_time > 0 AND run.params.arch = 'mor'"),
                Arguments.of("run = 'r1' AND status = 'x'", Scope.ARTIFACTS, "run = 'r1' AND status = 'x'"));
    }

    @ParameterizedTest(name = "[{index}] {0} ({1})")
    @MethodSource("scoped")
    void resolvesKeysByScope(String filter, Scope scope, String canonical) {
        Filter parsed = FilterParser.parse(filter, scope);
        assertThat(parsed).hasToString(canonical);
        assertThat(FilterParser.parse(canonical, scope)).isEqualTo(parsed);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("outOfScope")
    void restrictsKeysToTheScope(String filter, Scope scope, int column, String detail) {
        assertThat(FilterParser.parse(filter)).isNotNull();
        assertThatThrownBy(() -> FilterParser.parse(filter, scope))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.detail()).isEqualTo(detail);
                    assertThat(e.column()).isEqualTo(column);
                });
    }

    @Test
    void limitsNesting() {
        int n = FilterParser.MAX_NESTING;
        assertThat(FilterParser.parse("(".repeat(n) + "a = 1" + ")".repeat(n))).hasToString("a = 1");
        String deep = "(".repeat(n + 1) + "a = 1" + ")".repeat(n + 1);
        assertThat(catchSyntax(deep)).satisfies(e -> {
            assertThat(e.column()).isEqualTo(n + 1);
            assertThat(e.detail()).isEqualTo("parentheses nested deeper than " + n);
        });
    }

    @Test
    void limitsTheNumberOfComparisons() {
        int n = FilterParser.MAX_COMPARISONS;
        String most = String.join(" OR ", Collections.nCopies(n, "params.a != 'x'"));
        assertThat(FilterParser.comparisons(FilterParser.parse(most))).isEqualTo(n);
        String oneMore = most + " OR tags.b = 'y'";
        assertThat(catchSyntax(oneMore)).satisfies(e -> {
            assertThat(e.column()).isEqualTo(most.length() + 5);
            assertThat(e.detail()).isEqualTo("the filter has 513 comparisons; at most 512 are allowed (IN lists count"
                    + " one per value)");
        });
        // IN lists count one per value; the column is the value that goes over (the 512th, after metrics.a)
        String list = "metrics.a > 1 AND params.a IN (" + String.join(", ", Collections.nCopies(600, "'v'")) + ")";
        assertThat(catchSyntax(list)).satisfies(e -> {
            assertThat(e.column()).isEqualTo(list.indexOf("'v'") + 1 + 511 * 5);
            assertThat(e.detail()).startsWith("the filter has 601 comparisons; at most 512 are allowed");
        });
        // a syntax error is reported before the size, which needs the whole filter
        assertThat(catchSyntax(oneMore + " AND").detail()).isEqualTo("expected a comparison after AND, got end of filter");
    }

    @Test
    void caretPointsAtTheColumn() {
        FilterSyntaxException e = catchSyntax("metrics.acc foo 1");
        assertThat(e.getMessage())
                .isEqualTo("filter error at column 13: expected a comparison operator after 'metrics.acc', got 'foo'");
        assertThat(e.caret()).isEqualTo("metrics.acc foo 1\n            ^");
        assertThat(catchSyntax("metrics.acc >").caret()).isEqualTo("metrics.acc >\n             ^");
        assertThat(catchSyntax("\tx = 'a").caret()).isEqualTo("\tx = 'a\n\t    ^");
        assertThat(catchSyntax("a = 1 and\nb = 2 c").caret()).isEqualTo("b = 2 c\n      ^");
    }

    private static FilterSyntaxException catchSyntax(String filter) {
        try {
            FilterParser.parse(filter);
        } catch (FilterSyntaxException e) {
            return e;
        }
        throw new AssertionError("parsed: " + filter);
    }
}
