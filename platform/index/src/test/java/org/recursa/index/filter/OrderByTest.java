package org.recursa.index.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedSetSortField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code --order-by} parsing: valid texts with their canonical rendering, invalid ones with the exact error. */
class OrderByTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("metrics.seq_acc_ood DESC", Scope.RUNS, "metrics.seq_acc_ood DESC"),
                Arguments.of("attributes.start_time", Scope.RUNS, "attributes.start_time ASC"),
                Arguments.of("metric.a desc,metrics.b Asc , attr.end_time", Scope.RUNS,
                        "metrics.a DESC, metrics.b ASC, attributes.end_time ASC"),
                Arguments.of("metrics.`my metric` DESC", Scope.RUNS, "metrics.`my metric` DESC"),
                Arguments.of("`desc` desc", Scope.ARTIFACTS, "`desc` DESC"),
                Arguments.of("carry_chain ASC", Scope.ARTIFACTS, "carry_chain ASC"),
                Arguments.of("token_acc, run.metrics.seq_acc_test_id DESC", Scope.ARTIFACTS,
                        "token_acc ASC, run.metrics.seq_acc_test_id DESC"),
                // strings on run documents; bare names and run. are attributes; MLflow's attribute aliases
                Arguments.of("params.arch, tags.note DESC, attributes.status", Scope.RUNS,
                        "params.arch ASC, tags.note DESC, attributes.status ASC"),
                Arguments.of("start_time DESC, run_name", Scope.RUNS,
                        "attributes.start_time DESC, attributes.run_name ASC"),
                Arguments.of("created, run.status desc, `Run name`", Scope.RUNS,
                        "attributes.start_time ASC, attributes.status DESC, attributes.run_name ASC"),
                Arguments.of("`params`.`my_param` DESC", Scope.RUNS, "params.my_param DESC"),
                Arguments.of("run.start_time", Scope.ARTIFACTS, "run.attributes.start_time ASC"),
                Arguments.of("   ", Scope.RUNS, ""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesToCanonicalText(String text, Scope scope, String canonical) {
        OrderBy order = OrderBy.parse(text, scope);
        assertThat(order).hasToString(canonical);
        assertThat(OrderBy.parse(canonical, scope)).isEqualTo(order);
    }

    static Stream<Arguments> invalid() {
        String artifacts = "ordering artifacts by a string key is not supported; order by a number such as"
                + " carry_chain, token_acc or run.metrics.<name>";
        return Stream.of(
                Arguments.of("verdict DESC", Scope.ARTIFACTS, 1, artifacts),
                Arguments.of("run.tags.note", Scope.ARTIFACTS, 1, artifacts),
                Arguments.of("carry_chain, run.status", Scope.ARTIFACTS, 14, artifacts),
                Arguments.of("carry_chain", Scope.RUNS, 1, "unknown attribute 'carry_chain'; a name without"
                        + " prefix is an attribute (status, run_id, run_name, task, arch, start_time, end_time);"
                        + " write metrics.carry_chain, params.carry_chain or tags.carry_chain for the others"),
                Arguments.of("metrics.acc", Scope.ARTIFACTS, 1,
                        "'metrics.acc' is a run key; in an artifact filter write run.metrics.acc"),
                Arguments.of("attributes.foo", Scope.RUNS, 1, "unknown attribute 'foo'; valid attributes: status,"
                        + " run_id, run_name, task, arch, start_time, end_time"),
                Arguments.of("metrics.a DESC DESC", Scope.RUNS, 16,
                        "expected ASC, DESC, ',' or the end after 'metrics.a', got 'DESC'"),
                Arguments.of("metrics.a,", Scope.RUNS, 11, "expected a key to order by after ',', got end of order-by"),
                Arguments.of("DESC", Scope.RUNS, 1, "expected a key to order by, got 'DESC'"),
                Arguments.of("metric5.a", Scope.RUNS, 1, "unknown key prefix 'metric5'; valid prefixes: metrics,"
                        + " params, tags, attributes (also metric, param, parameters, tag, attribute, attr; each may"
                        + " follow run.)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void reportsTheProblem(String text, Scope scope, int column, String detail) {
        assertThatThrownBy(() -> OrderBy.parse(text, scope))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("order-by error at column " + column + ": " + detail);
                    assertThat(e.subject()).isEqualTo("order-by");
                });
    }

    @Test
    void sortsOnDoubleDocValuesWithMissingValuesBeyondEveryStoredValue() {
        Sort sort = OrderBy.parse("metrics.a DESC, attributes.start_time", Scope.RUNS).toSort();
        SortField[] fields = sort.getSort();
        assertThat(fields).hasSize(2);
        assertThat(fields[0].getField()).isEqualTo("n:metrics.a");
        assertThat(fields[0].getType()).isEqualTo(SortField.Type.DOUBLE);
        assertThat(fields[0].getReverse()).isTrue();
        assertThat(fields[0].getMissingValue()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(fields[1].getField()).isEqualTo("n:attributes.start_time");
        assertThat(fields[1].getReverse()).isFalse();
        assertThat(fields[1].getMissingValue()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(OrderBy.parse("", Scope.RUNS).toSort()).isEqualTo(Sort.INDEXORDER);
    }

    @Test
    void sortsStringsOnSortedSetDocValuesWithMissingValuesLast() {
        SortField[] fields = OrderBy.parse("params.arch DESC, attributes.status", Scope.RUNS).toSort().getSort();
        assertThat(fields[0]).isInstanceOf(SortedSetSortField.class);
        assertThat(fields[0].getField()).isEqualTo("o:params.arch");
        assertThat(fields[0].getReverse()).isTrue();
        assertThat(fields[0].getMissingValue()).isEqualTo(SortField.STRING_FIRST);
        assertThat(fields[1].getField()).isEqualTo("o:attributes.status");
        assertThat(fields[1].getReverse()).isFalse();
        assertThat(fields[1].getMissingValue()).isEqualTo(SortField.STRING_LAST);
    }
}
