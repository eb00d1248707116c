package org.recursa.plugins.recursion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Vocabulary;

/**
 * {@code trace_steps=split}: δ, β and ι as steps of their own over λ-terms. The expected terms of the worked
 * examples are written out by hand from the equations in the tasks' class comments; the properties compare the split
 * derivation of every generated input with the fused one.
 */
class SplitStepsTest {

    static Stream<RewritingTask> splitTasks() {
        return Stream.of(new BinarySuccessorTask(), new PeanoAddTask(), new BoolEvalTask());
    }

    static Stream<RewritingTask> fusedOnlyTasks() {
        return Stream.of(new ListReverseTask(), new TreeTraversalTask.Preorder(), new TreeTraversalTask.Inorder(),
                new TreeTraversalTask.Postorder());
    }

    private static Config split(RewritingTask task) {
        return task.schema().resolve(Map.of("trace_steps", "split"));
    }

    private static List<String> terms(String text) {
        return Arrays.asList(text.split(" "));
    }

    @Test
    void theBodiesAreCompiledFromTheEquations() {
        assertThat(body(new BinarySuccessorTask(), "succ")).isEqualTo(terms("lam match:succ #0 B1 Z lam B1 #0 "
                + "lam B0 succ #0"));
        assertThat(body(new PeanoAddTask(), "add")).isEqualTo(terms("lam lam match:add #1 #0 lam S add #0 #1"));
        BoolEvalTask bool = new BoolEvalTask();
        assertThat(body(bool, "and")).isEqualTo(terms("lam lam match:and #1 #0 F"));
        assertThat(body(bool, "or")).isEqualTo(terms("lam lam match:or #1 T #0"));
        assertThat(body(bool, "not")).isEqualTo(terms("lam match:not #0 F T"));
    }

    private static List<String> body(RewritingTask task, String function) {
        return task.stepwise(split(task)).orElseThrow().body(function);
    }

    @Test
    void theSuccessorOfOneUnfoldsAppliesAndMatchesTwice() {
        BinarySuccessorTask task = new BinarySuccessorTask();
        String body = "lam match:succ #0 B1 Z lam B1 #0 lam B0 succ #0";
        assertDerivation(task, "succ B1 Z",
                "delta:succ", "0", "@ " + body + " B1 Z",
                "beta:succ", "0", "match:succ B1 Z B1 Z lam B1 #0 lam B0 succ #0",
                "iota:succ/B1", "0", "B0 succ Z",
                "delta:succ", "1", "B0 @ " + body + " Z",
                "beta:succ", "1", "B0 match:succ Z B1 Z lam B1 #0 lam B0 succ #0",
                "iota:succ/Z", "1", "B0 B1 Z");
    }

    @Test
    void oneAndOneSubstituteBothArgumentsBeforeTheMatch() {
        PeanoAddTask task = new PeanoAddTask();
        String body = "lam lam match:add #1 #0 lam S add #0 #1";
        assertDerivation(task, "add S Z S Z",
                "delta:add", "0", "@ @ " + body + " S Z S Z",
                "beta:add", "1", "@ lam match:add S Z #0 lam S add #0 #1 S Z",
                "beta:add", "0", "match:add S Z S Z lam S add #0 S Z",
                "iota:add/S", "0", "S add Z S Z",
                "delta:add", "1", "S @ @ " + body + " Z S Z",
                "beta:add", "2", "S @ lam match:add Z #0 lam S add #0 #1 S Z",
                "beta:add", "1", "S match:add Z S Z lam S add #0 S Z",
                "iota:add/Z", "1", "S S Z");
    }

    @Test
    void aConnectiveUnfoldsBeforeItsArgumentWhichIsReducedAsTheScrutinee() {
        assertDerivation(new BoolEvalTask(), "and not T F",
                "delta:and", "0", "@ @ lam lam match:and #1 #0 F not T F",
                "beta:and", "1", "@ lam match:and not T #0 F F",
                "beta:and", "0", "match:and not T F F",
                "delta:not", "1", "match:and @ lam match:not #0 F T T F F",
                "beta:not", "1", "match:and match:not T F T F F",
                "iota:not/T", "1", "match:and F F F",
                "iota:and/F", "0", "F");
    }

    /** {@code expected}: rule, position and term of every step in turn. */
    private static void assertDerivation(RewritingTask task, String input, String... expected) {
        Derivation derivation = task.derive(split(task), terms(input));
        List<String> actual = derivation.steps().stream()
                .flatMap(s -> Stream.of(s.rule(), s.position(), String.join(" ", s.term()))).toList();
        assertThat(actual).containsExactly(expected);
        assertThat(derivation.answer()).isEqualTo(task.derive(task.schema().defaults(), terms(input)).answer());
    }

    /**
     * Over many inputs of every split: each split step is one valid step of exactly one kind, the split derivation
     * ends at the fused answer, one δ and one ι per fused step, and one β per parameter of each unfolded function.
     */
    @ParameterizedTest
    @MethodSource("splitTasks")
    void theSplitDerivationIsTheFusedOneTakenApart(RewritingTask task) {
        long seed = new Random().nextLong();
        Config fused = task.schema().defaults();
        Config split = split(task);
        Vocabulary vocabulary = task.vocabulary(split);
        for (Split s : task.splits(split)) {
            for (Example example : task.generate(split, s.name(), 300, seed)) {
                String label = "seed " + seed + ", " + example.input();
                Derivation derivation = task.derive(split, example.input());
                int fusedSteps = task.derive(fused, example.input()).steps().size();
                int[] kinds = new int[3];   // δ, β, ι
                int parameters = 0;
                List<String> previous = example.input();
                for (ReductionStep step : derivation.steps()) {
                    assertThat(task.reductions(split, previous)).as(label).first().isEqualTo(step);
                    String[] rule = step.rule().split(":");
                    assertThat(rule).as(label).hasSize(2);
                    int kind = List.of("delta", "beta", "iota").indexOf(rule[0]);
                    assertThat(kind).as(label + ": " + step.rule()).isNotNegative();
                    kinds[kind]++;
                    parameters += kind == 0 ? task.arity(rule[1]) : 0;
                    previous = step.term();
                    vocabulary.encode(previous);
                }
                assertThat(derivation.answer()).as(label).isEqualTo(example.target())
                        .isEqualTo(task.derive(fused, example.input()).answer());
                assertThat(task.reductions(split, derivation.answer())).as(label + ": normal form").isEmpty();
                assertThat(kinds[0]).as(label + ": δ steps").isEqualTo(fusedSteps);
                assertThat(kinds[2]).as(label + ": ι steps").isEqualTo(fusedSteps);
                assertThat(kinds[1]).as(label + ": β steps").isEqualTo(parameters);
                assertThat(example.features()).as(label).containsEntry("steps", fusedSteps);
            }
        }
    }

    /** The setting changes the trace only: the same inputs, answers and features are drawn. */
    @ParameterizedTest
    @MethodSource("splitTasks")
    void splitStepsDrawTheSameExamplesAsFused(RewritingTask task) {
        long seed = new Random().nextLong();
        for (Split s : task.splits(task.schema().defaults())) {
            assertThat(task.generate(split(task), s.name(), 100, seed)).as("seed %d", seed)
                    .isEqualTo(task.generate(task.schema().defaults(), s.name(), 100, seed));
        }
    }

    @Test
    void theVocabularyGrowsOnlyWithSplitSteps() {
        BinarySuccessorTask successor = new BinarySuccessorTask();
        assertThat(successor.vocabulary(successor.schema().defaults()).tokens())
                .containsExactly("<pad>", "<sep>", "<eos>", "<step>", "succ", "B0", "B1", "Z");
        assertThat(successor.vocabulary(split(successor)).tokens()).containsExactly("<pad>", "<sep>", "<eos>",
                "<step>", "succ", "B0", "B1", "Z", "@", "lam", "#0", "match:succ");
        PeanoAddTask add = new PeanoAddTask();
        assertThat(add.vocabulary(add.schema().defaults()).tokens()).endsWith("add", "S", "Z").hasSize(7);
        assertThat(add.vocabulary(split(add)).tokens()).endsWith("add", "S", "Z", "@", "lam", "#0", "#1",
                "match:add");
        BoolEvalTask bool = new BoolEvalTask();
        assertThat(bool.vocabulary(bool.schema().defaults()).tokens()).endsWith("and", "or", "not", "T", "F")
                .hasSize(9);
        assertThat(bool.vocabulary(split(bool)).tokens()).endsWith("and", "or", "not", "T", "F", "@", "lam", "#0",
                "#1", "match:and", "match:or", "match:not");
        assertThat(new ListReverseTask().vocabulary(new ListReverseTask().schema().defaults()).size()).isEqualTo(17);
    }

    @Test
    void noRedexUnderABinderOrInAMatchBranchFires() {
        BoolEvalTask task = new BoolEvalTask();
        // and's T branch holds the call not T: only the match on F may fire
        assertThat(task.reductions(split(task), terms("match:and F not T F"))).extracting(ReductionStep::rule)
                .containsExactly("iota:and/F");
        // the recursive call succ #0 under its lam is not a δ redex
        BinarySuccessorTask successor = new BinarySuccessorTask();
        assertThat(successor.reductions(split(successor), terms("match:succ B1 Z B1 Z lam B1 #0 lam B0 succ #0")))
                .extracting(ReductionStep::rule).containsExactly("iota:succ/B1");
    }

    @Test
    void everyRedexOutsideTheBindersIsOfferedLeftmostFirst() {
        BoolEvalTask task = new BoolEvalTask();
        List<ReductionStep> steps = task.reductions(split(task), terms("@ lam match:not #0 F T not T"));
        assertThat(steps).extracting(ReductionStep::rule).containsExactly("beta:not", "delta:not");
        assertThat(steps).extracting(ReductionStep::position).containsExactly("0", "6");
        assertThat(steps.get(0).term()).isEqualTo(terms("match:not not T F T"));
        assertThat(steps.get(1).term()).isEqualTo(terms("@ lam match:not #0 F T @ lam match:not #0 F T T"));
    }

    @Test
    void malformedAndOpenTermsHaveNoSplitReductions() {
        BinarySuccessorTask task = new BinarySuccessorTask();
        Config config = split(task);
        assertThat(task.reductions(config, terms("succ #0"))).as("a free variable").isEmpty();
        assertThat(task.reductions(config, terms("@ lam #1 Z"))).as("bound one level too far out").isEmpty();
        assertThat(task.reductions(config, terms("@ lam B1 #0"))).as("truncated").isEmpty();
        assertThat(task.reductions(config, terms("match:add Z Z Z"))).as("another task's match").isEmpty();
        assertThat(task.reductions(config, terms("succ #01"))).as("one spelling per index").isEmpty();
        assertThat(task.reductions(task.schema().defaults(), terms("@ lam B1 #0 Z"))).as("fused knows no λ")
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("fusedOnlyTasks")
    void tasksThatAppendByJuxtapositionRefuseSplitStepsInOneLine(RewritingTask task) {
        Config config = split(task);
        String message = "setting 'trace_steps' (split) is not supported: the equations append by juxtaposition, "
                + "which a match branch cannot hold; tasks that support it: binary-successor, peano-add, bool-eval";
        assertThatThrownBy(() -> task.generate(config, Split.TRAIN, 1, 1)).isInstanceOf(ConfigException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> task.reductions(config, List.of())).hasMessage(message);
        assertThatThrownBy(() -> task.derive(config, List.of())).hasMessage(message);
        assertThat(task.vocabulary(config)).as("asked for before generate, which refuses")
                .isEqualTo(task.vocabulary(task.schema().defaults()));
        assertThat(task.definitions()).isEmpty();
    }

    @Test
    void theRefusalNamesExactlyTheTasksWithDefinitions() {
        List<String> withDefinitions = RecursionTasksTest.tasks().filter(t -> !t.definitions().isEmpty())
                .map(RewritingTask::id).toList();
        assertThat(String.join(", ", withDefinitions)).isEqualTo(RewritingTask.SPLIT_TASKS);
        assertThat(RecursionTasksTest.tasks()).allSatisfy(t -> assertThat(t.schema().defaults()
                .getString("trace_steps")).isEqualTo("fused"));
    }
}
