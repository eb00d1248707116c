package org.recursa.index.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.index.Seeds;

/**
 * Artifact documents (bare keys typed by their literal, {@code run.}-prefixed keys of the run) against a real
 * index of ~200 random proof artifacts from a few runs, shaped like docs/artifacts.md records.
 */
class ArtifactFilterQueriesTest {

    private static final String[] TASKS = {"binary-successor", "unary-add", "copy"};
    private static final String[] SPLITS = {"test-id", "test-ood-carry", "test-ood-length"};
    private static final String[] RULES = {"iota:succ/B1", "iota:succ/B0", "normal-form"};
    private static final String[] STATUSES = {"FINISHED", "FAILED"};
    private static final String[] NOTES = {"carry sweep", "CARRY again", "baseline"};

    private static long seed;
    private static List<IndexedDoc> docs;
    private static TestIndex index;

    @BeforeAll
    static void index(@TempDir Path dir) throws IOException {
        seed = Seeds.seed();
        Random random = new Random(seed);
        docs = new ArrayList<>();
        for (int run = 0; run < 6; run++) {
            String task = TASKS[run % TASKS.length];
            String arch = run % 2 == 0 ? "universal" : "mor";
            String mode = run < 3 ? "io" : "trace";
            String runId = "20261125-04050" + run + "-" + task + "-" + arch + "-" + Integer.toHexString(0xa0 + run);
            double seqAcc = random.nextInt(101) / 100.0;
            String status = STATUSES[random.nextInt(STATUSES.length)];
            String note = random.nextBoolean() ? NOTES[random.nextInt(NOTES.length)] : null;
            for (int i = 0; i < 34; i++) {
                String split = SPLITS[random.nextInt(SPLITS.length)];
                boolean correct = random.nextInt(3) == 0;
                IndexedDoc.Builder doc = new IndexedDoc.Builder(docs.size())
                        .keyword("task", task).keyword("arch", arch).keyword("mode", mode).keyword("split", split)
                        .keyword("example", split + "/" + i).keyword("run", runId)
                        .keyword("verdict", correct ? "correct" : "wrong")
                        .number("token_acc", correct ? 1.0 : random.nextInt(11) / 11.0)
                        .number("first_error", correct ? -1.0 : random.nextInt(11))
                        .number("steps", 1.0 + random.nextInt(12))
                        .keyword("run.params.arch", arch).number("run.metrics.seq_acc_test_id", seqAcc)
                        .keyword("run.attributes.status", status).keyword("run.tags.note", note);
                if (task.equals("binary-successor")) {
                    int chain = random.nextInt(11);
                    doc.number("carry_chain", (double) chain).number("bits", (double) Math.max(chain, 1));
                }
                if (mode.equals("trace") && !correct) {
                    doc.keyword("expected_rule", RULES[random.nextInt(RULES.length)])
                            .keyword("expected_position", String.valueOf(random.nextInt(6)))
                            .number("valid_steps", (double) random.nextInt(5))
                            .number("first_invalid_step", (double) random.nextInt(5));
                }
                if (arch.equals("mor")) {
                    doc.number("depth_mean", 1 + random.nextInt(300) / 100.0).number("depth_max", 4.0);
                }
                docs.add(doc.build());
            }
        }
        index = TestIndex.ofArtifacts(dir, docs, random);
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
                f("task = 'binary-successor' and verdict = 'wrong' and carry_chain >= 6"
                                + " and run.params.arch = 'universal'",
                        d -> d.any("task", "binary-successor"::equals) && d.any("verdict", "wrong"::equals)
                                && d.num("carry_chain", v -> v >= 6) && d.any("run.params.arch", "universal"::equals)),
                f("carry_chain != 6", d -> d.num("carry_chain", v -> v != 6)),
                f("carry_chain < 3 OR bits > 8", d -> d.num("carry_chain", v -> v < 3) || d.num("bits", v -> v > 8)),
                f("first_error = -1", d -> d.num("first_error", v -> v == -1)),
                f("first_error > -1 AND token_acc < 0.5",
                        d -> d.num("first_error", v -> v > -1) && d.num("token_acc", v -> v < 0.5)),
                f("run.metrics.seq_acc_test_id > 0.5 AND verdict = 'wrong'",
                        d -> d.num("run.metrics.seq_acc_test_id", v -> v > 0.5) && d.any("verdict", "wrong"::equals)),
                f("expected_rule LIKE 'iota:%'", d -> d.any("expected_rule", v -> v.startsWith("iota:"))),
                f("expected_rule != 'normal-form'", d -> d.none("expected_rule", "normal-form"::equals)),
                f("expected_position = '3'", d -> d.any("expected_position", "3"::equals)),
                f("valid_steps >= 2 and first_invalid_step <= 2",
                        d -> d.num("valid_steps", v -> v >= 2) && d.num("first_invalid_step", v -> v <= 2)),
                f("split IN ('test-ood-carry', 'test-ood-length') AND mode = 'trace'",
                        d -> d.any("split", v -> v.startsWith("test-ood")) && d.any("mode", "trace"::equals)),
                f("example LIKE 'test-id/1_'", d -> d.any("example", v -> v.matches("test-id/1."))),
                f("verdict != 'correct' OR carry_chain <= 2",
                        d -> d.none("verdict", "correct"::equals) || d.num("carry_chain", v -> v <= 2)),
                f("(depth_mean >= 2.5 OR run.params.arch = 'universal') AND steps > 6",
                        d -> (d.num("depth_mean", v -> v >= 2.5) || d.any("run.params.arch", "universal"::equals))
                                && d.num("steps", v -> v > 6)),
                f("run LIKE '%-mor-%'", d -> d.any("run", v -> v.contains("-mor-"))),
                f("run.attributes.status = 'FINISHED'", d -> d.any("run.attributes.status", "FINISHED"::equals)),
                f("run.tags.note ILIKE '%CARRY%'", d -> d.any("run.tags.note", v -> v.toLowerCase(Locale.ROOT).contains("carry"))),
                f("run.tags.note NOT IN ('baseline')", d -> d.none("run.tags.note", "baseline"::equals)),
                // run keys live on the run document of the artifact's block: IS NULL and negations are joined too
                f("run.tags.note IS NULL AND verdict = 'wrong'",
                        d -> !d.has("run.tags.note") && d.any("verdict", "wrong"::equals)),
                f("run.params.arch != 'mor' OR run.metrics.seq_acc_test_id <= 0.2",
                        d -> d.none("run.params.arch", "mor"::equals) || d.num("run.metrics.seq_acc_test_id", v -> v <= 0.2)),
                // a bare key takes its type from the literal: a number against a string field matches nothing
                f("task = 1", d -> false),
                f("carry_chain = '6'", d -> false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("filters")
    void matchesWhatThePlainJavaFilterSelects(String filter, Predicate<IndexedDoc> expected) throws IOException {
        Set<Integer> want = docs.stream().filter(expected).map(IndexedDoc::id)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(index.ids(FilterQueries.toQuery(filter, Scope.ARTIFACTS)))
                .as("seed %d, filter %s", seed, filter).containsExactlyInAnyOrderElementsOf(want);
    }

    @Test
    void sortsArtifactsByFeatureThenRunMetric() throws IOException {
        OrderBy order = OrderBy.parse("carry_chain DESC, run.metrics.seq_acc_test_id", Scope.ARTIFACTS);
        List<Integer> ids = index.sorted(FilterQueries.toQuery("verdict = 'wrong'", Scope.ARTIFACTS), order.toSort());

        Comparator<IndexedDoc> carryDescMissingLast = Comparator.comparing(
                (IndexedDoc d) -> d.number("carry_chain"), Comparator.nullsLast(Comparator.<Double>reverseOrder()));
        List<List<Double>> want = docs.stream().filter(d -> d.any("verdict", "wrong"::equals))
                .sorted(carryDescMissingLast.thenComparing(d -> d.number("run.metrics.seq_acc_test_id")))
                .map(ArtifactFilterQueriesTest::keys).toList();
        assertThat(ids.stream().map(docs::get).map(ArtifactFilterQueriesTest::keys).toList())
                .as("seed %d", seed).isEqualTo(want);
    }

    private static List<Double> keys(IndexedDoc doc) {
        return Arrays.asList(doc.number("carry_chain"), doc.number("run.metrics.seq_acc_test_id"));
    }
}
