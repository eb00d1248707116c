package org.recursa.plugins.recursion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.Vocabulary;

/**
 * Property tests of the reference interpreters: every answer agrees with an independent computation, every
 * trace step is a single valid rule application, and the generators honour their splits. Each test draws a
 * fresh seed and names it on failure.
 */
class RecursionTasksTest {

    static Stream<RewritingTask> tasks() {
        return Stream.of(new BinarySuccessorTask(), new TreeTraversalTask.Preorder(), new TreeTraversalTask.Inorder(),
                new TreeTraversalTask.Postorder(), new PeanoAddTask(), new ListReverseTask(), new BoolEvalTask());
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void everyTraceStepIsOneValidRuleApplicationEndingAtTheAnswer(RewritingTask task) {
        long seed = new Random().nextLong();
        Config config = task.schema().defaults();
        Vocabulary vocabulary = task.vocabulary(config);
        for (Split split : task.splits(config)) {
            for (Example example : task.generate(config, split.name(), 100, seed)) {
                Derivation derivation = task.derive(config, example.input());
                List<String> previous = example.input();
                for (ReductionStep step : derivation.steps()) {
                    assertThat(task.reductions(config, previous)).as("seed %d, %s", seed, example)
                            .contains(step);
                    assertThat(step.rule()).startsWith("iota:");
                    previous = step.term();
                }
                assertThat(previous).as("seed %d", seed).isEqualTo(example.target());
                assertThat(task.reductions(config, previous)).as("answer is in normal form").isEmpty();
                assertThat(example.features()).containsEntry("steps", derivation.steps().size());
                vocabulary.encode(example.input());
                vocabulary.encode(derivation.traceTokens());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void generationIsAPureFunctionOfItsArgumentsAndSplitsUseTheirOwnStreams(RewritingTask task) {
        long seed = new Random().nextLong();
        Config config = task.schema().defaults();
        List<Example> train = task.generate(config, Split.TRAIN, 40, seed);
        assertThat(task.generate(config, Split.TRAIN, 40, seed)).as("seed %d", seed).isEqualTo(train);
        assertThat(task.generate(config, Split.TRAIN, 40, seed + 1)).as("seed %d", seed).isNotEqualTo(train);
        assertThat(task.generate(config, Split.TEST_ID, 40, seed)).as("seed %d", seed).isNotEqualTo(train);
        assertThatThrownBy(() -> task.generate(config, "test-odd", 1, seed))
                .hasMessageStartingWith("unknown split 'test-odd' for task " + task.id() + "; valid splits: train, test-id");
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void malformedTermsHaveNoReductions(RewritingTask task) {
        Config config = task.schema().defaults();
        List<String> input = task.generate(config, Split.TRAIN, 1, 7).get(0).input();
        assertThat(task.reductions(config, input.subList(0, input.size() - 1))).as("truncated").isEmpty();
        List<String> garbled = new ArrayList<>(input);
        garbled.add(1, "<sep>");
        assertThat(task.reductions(config, garbled)).as("foreign token").isEmpty();
        assertThat(task.reductions(config, List.of())).isEmpty();
    }

    @RepeatedTest(3)
    void successorIsPlusOneAndTakesCarryChainPlusOneSteps() {
        long seed = new Random().nextLong();
        BinarySuccessorTask task = new BinarySuccessorTask();
        Config config = task.schema().defaults();
        for (Split split : task.splits(config)) {
            for (Example example : task.generate(config, split.name(), 200, seed)) {
                BigInteger n = BinarySuccessorTask.value(example.input());
                assertThat(BinarySuccessorTask.value(example.target())).as("seed %d, %s", seed, example)
                        .isEqualTo(n.add(BigInteger.ONE));
                int carry = example.features().get("carry_chain");
                assertThat(carry).isEqualTo(Integer.numberOfTrailingZeros(~n.intValue()));
                assertThat(example.features().get("steps")).isEqualTo(carry + 1);
                assertThat(example.input().get(example.input().size() - 2)).as("canonical: zero is Z, else B1 leads")
                        .isEqualTo(n.signum() == 0 ? "succ" : "B1");
            }
        }
    }

    @Test
    void successorSplitsSeparateCarryChainsAndLengths() {
        BinarySuccessorTask task = new BinarySuccessorTask();
        Config config = task.schema().resolve(Map.of("max_bits", "8", "max_train_carry", "3", "ood_bits", "12"));
        long seed = new Random().nextLong();
        for (Example e : task.generate(config, Split.TRAIN, 500, seed)) {
            assertThat(e.features().get("carry_chain")).as("seed %d", seed).isLessThanOrEqualTo(3);
            assertThat(e.features().get("bits")).isBetween(0, 8);
        }
        List<Example> oodCarry = task.generate(config, BinarySuccessorTask.OOD_CARRY, 500, seed);
        assertThat(oodCarry).allSatisfy(e -> assertThat(e.features().get("carry_chain")).isBetween(4, 8));
        assertThat(oodCarry).as("all-ones numbers included")
                .anySatisfy(e -> assertThat(e.features().get("carry_chain")).isEqualTo(e.features().get("bits")));
        assertThat(task.generate(config, BinarySuccessorTask.OOD_LENGTH, 300, seed)).allSatisfy(e -> {
            assertThat(e.features().get("bits")).isBetween(9, 12);
            assertThat(e.features().get("carry_chain")).isLessThanOrEqualTo(3);
        });
        assertThat(task.generate(config, BinarySuccessorTask.EDGE_CARRY, 300, seed))
                .allSatisfy(e -> assertThat(e.features().get("carry_chain")).isBetween(2, 3));
    }

    @Test
    void edgeFractionOversamplesLongCarryChainsInTrainingOnly() {
        BinarySuccessorTask task = new BinarySuccessorTask();
        Config plain = task.schema().defaults();
        Config oversampled = task.schema().resolve(Map.of("edge_fraction", "0.5"));
        long seed = new Random().nextLong();
        assertThat(longChains(task.generate(oversampled, Split.TRAIN, 2000, seed))).as("seed %d", seed)
                .isGreaterThan(3 * longChains(task.generate(plain, Split.TRAIN, 2000, seed)));
        assertThat(task.generate(oversampled, Split.TEST_ID, 50, seed))
                .isEqualTo(task.generate(plain, Split.TEST_ID, 50, seed));
    }

    private static long longChains(List<Example> examples) {
        return examples.stream().filter(e -> e.features().get("carry_chain") >= 4).count();
    }

    @Test
    void inconsistentSettingsAreOneClearError() {
        BinarySuccessorTask task = new BinarySuccessorTask();
        Config config = task.schema().resolve(Map.of("max_bits", "4", "max_train_carry", "4"));
        assertThatThrownBy(() -> task.generate(config, Split.TRAIN, 1, 1)).isInstanceOf(ConfigException.class)
                .hasMessage("setting 'max_train_carry' (4) must be below 'max_bits' (4) so that test-ood-carry has "
                        + "longer chains");
    }

    @RepeatedTest(3)
    void traversalsAgreeWithARecursiveTraversalOfTheParsedTree() {
        long seed = new Random().nextLong();
        for (TreeTraversalTask task : List.of(new TreeTraversalTask.Preorder(), new TreeTraversalTask.Inorder(),
                new TreeTraversalTask.Postorder())) {
            Config config = task.schema().defaults();
            for (Split split : task.splits(config)) {
                for (Example example : task.generate(config, split.name(), 100, seed)) {
                    List<String> expected = new ArrayList<>();
                    traverse(example.input(), 1, task.id(), expected);
                    assertThat(example.target()).as("seed %d, %s", seed, example).isEqualTo(expected);
                    List<String> labels = example.input().stream().filter(t -> t.matches("[0-9]")).sorted().toList();
                    assertThat(example.target().stream().sorted().toList()).as("a permutation of the labels")
                            .isEqualTo(labels);
                    assertThat(example.features().get("steps")).isEqualTo(2 * example.features().get("size") + 1);
                }
            }
        }
    }

    @Test
    void spineSplitsAreMaximallyUnbalancedAndDeeperThanAnyTrainingTree() {
        TreeTraversalTask task = new TreeTraversalTask.Inorder();
        Config config = task.schema().defaults();
        long seed = new Random().nextLong();
        for (String spine : List.of(TreeTraversalTask.LEFT_SPINE, TreeTraversalTask.RIGHT_SPINE)) {
            assertThat(task.generate(config, spine, 100, seed)).allSatisfy(e -> {
                assertThat(e.features().get("spine")).as("seed %d", seed).isEqualTo(1);
                assertThat(e.features().get("size")).isEqualTo(e.features().get("depth"));
                assertThat(e.features().get("depth")).as("deeper than max_depth 4").isBetween(5, 6);
            });
        }
        assertThat(task.generate(config, TreeTraversalTask.LEFT_SPINE, 50, seed))
                .allSatisfy(e -> assertThat(e.input().subList(e.input().size() - e.features().get("depth") - 1,
                        e.input().size())).as("a left spine ends with its right leaves").containsOnly("L"));
        assertThat(task.generate(config, TreeTraversalTask.OOD_DEPTH, 100, seed))
                .allSatisfy(e -> assertThat(e.features().get("depth")).isBetween(5, 6));
        List<Example> train = task.generate(config, Split.TRAIN, 300, seed);
        assertThat(train).allSatisfy(e -> {
            assertThat(e.features().get("depth")).isBetween(0, 4);
            assertThat(e.features().get("size")).isBetween(0, 8);
        });
        assertThat(train).as("the base case, the leaf, is an input").anySatisfy(e ->
                assertThat(e.input()).containsExactly("in", "L"));
        Example leaf = train.stream().filter(e -> e.input().size() == 2).findFirst().orElseThrow();
        assertThat(leaf.target()).isEmpty();
        assertThat(task.derive(config, leaf.input()).steps()).extracting(ReductionStep::rule)
                .containsExactly("iota:in/L");
    }

    /**
     * The support of every OOD split lies outside the support of train, at the defaults and at other settings: a
     * feature that training bounds is beyond the bound on every OOD example.
     */
    @ParameterizedTest
    @MethodSource("oodBounds")
    void everyOutOfDistributionSplitLiesOutsideTheTrainingSupport(RewritingTask task, Map<String, String> settings,
                                                                  String split, String feature) {
        long seed = new Random().nextLong();
        Config config = task.schema().resolve(settings);
        int trainingMax = Integer.MIN_VALUE;
        for (Example e : task.generate(config, Split.TRAIN, 5000, seed)) {
            trainingMax = Math.max(trainingMax, measure(e, feature));
        }
        int bound = trainingMax;
        assertThat(task.generate(config, split, 500, seed)).as("seed %d, %s %s: %s above %d", seed, task.id(),
                settings, feature, bound).allSatisfy(e -> assertThat(measure(e, feature)).isGreaterThan(bound));
    }

    /** A feature of an example, or the larger Peano operand. */
    private static int measure(Example example, String feature) {
        return feature.equals("larger") ? Math.max(example.features().get("n"), example.features().get("m"))
                : example.features().get(feature);
    }

    static Stream<Arguments> oodBounds() {
        Map<String, String> defaults = Map.of();
        Map<String, String> edgy = Map.of("max_bits", "8", "max_train_carry", "3", "ood_bits", "11",
                "edge_fraction", "1.0");
        Map<String, String> trees = Map.of("max_depth", "3", "max_size", "5", "ood_depth", "5", "edge_fraction",
                "0.5");
        BinarySuccessorTask successor = new BinarySuccessorTask();
        PeanoAddTask add = new PeanoAddTask();
        ListReverseTask rev = new ListReverseTask();
        BoolEvalTask bool = new BoolEvalTask();
        List<Arguments> cases = new ArrayList<>();
        for (Map<String, String> settings : List.of(defaults, edgy)) {
            cases.add(Arguments.of(successor, settings, BinarySuccessorTask.OOD_CARRY, "carry_chain"));
            cases.add(Arguments.of(successor, settings, BinarySuccessorTask.OOD_LENGTH, "bits"));
        }
        for (TreeTraversalTask tree : List.of(new TreeTraversalTask.Preorder(), new TreeTraversalTask.Inorder(),
                new TreeTraversalTask.Postorder())) {
            for (Map<String, String> settings : List.of(defaults, trees)) {
                for (String split : List.of(TreeTraversalTask.OOD_DEPTH, TreeTraversalTask.LEFT_SPINE,
                        TreeTraversalTask.RIGHT_SPINE)) {
                    cases.add(Arguments.of(tree, settings, split, "depth"));
                }
            }
        }
        for (Map<String, String> settings : List.of(defaults, Map.of("max_value", "4", "ood_value", "7"))) {
            cases.add(Arguments.of(add, settings, PeanoAddTask.OOD_SIZE, "larger"));
        }
        for (Map<String, String> settings : List.of(defaults, Map.of("max_length", "3", "ood_length", "5"))) {
            cases.add(Arguments.of(rev, settings, ListReverseTask.OOD_LENGTH, "length"));
        }
        for (Map<String, String> settings : List.of(defaults, Map.of("max_depth", "2", "ood_depth", "4"))) {
            cases.add(Arguments.of(bool, settings, BoolEvalTask.OOD_DEPTH, "depth"));
        }
        return cases.stream();
    }

    @Test
    void theBaseCasesAreTrainingInputs() {
        long seed = new Random().nextLong();
        BinarySuccessorTask successor = new BinarySuccessorTask();
        assertThat(successor.generate(successor.schema().defaults(), Split.TRAIN, 1000, seed)).as("seed %d", seed)
                .anySatisfy(e -> {
                    assertThat(e.input()).containsExactly("succ", "Z");
                    assertThat(e.target()).containsExactly("B1", "Z");
                    assertThat(e.features()).containsEntry("bits", 0).containsEntry("carry_chain", 0)
                            .containsEntry("steps", 1);
                });
        ListReverseTask rev = new ListReverseTask();
        assertThat(rev.generate(rev.schema().defaults(), Split.TRAIN, 1000, seed)).as("seed %d", seed)
                .anySatisfy(e -> {
                    assertThat(e.input()).containsExactly("rev", "N");
                    assertThat(e.target()).isEmpty();
                });
        PeanoAddTask add = new PeanoAddTask();
        assertThat(add.generate(add.schema().defaults(), Split.TRAIN, 1000, seed)).as("seed %d: add Z m", seed)
                .anySatisfy(e -> assertThat(e.input().subList(0, 2)).containsExactly("add", "Z"));
    }

    @Test
    void peanoAdditionPartitionsItsSmallSpaceIntoDisjointTrainingAndHeldOutPairs() {
        PeanoAddTask task = new PeanoAddTask();
        long seed = new Random().nextLong();
        for (Map<String, String> settings : List.of(Map.<String, String>of(),
                Map.of("max_value", "3", "held_out", "0.5"), Map.of("max_value", "1", "held_out", "0.01"))) {
            Config config = task.schema().resolve(settings);
            int side = config.getInt("max_value") + 1;
            java.util.Set<List<String>> train = new java.util.HashSet<>();
            task.generate(config, Split.TRAIN, 20 * side * side, seed).forEach(e -> train.add(e.input()));
            java.util.Set<List<String>> heldOut = new java.util.HashSet<>();
            task.generate(config, Split.TEST_ID, 20 * side * side, seed).forEach(e -> heldOut.add(e.input()));
            int expectedHeldOut = Math.max(1, Math.min(side * side - 1,
                    (int) Math.round(config.getDouble("held_out") * side * side)));
            assertThat(heldOut).as("seed %d, %s", seed, settings).hasSize(expectedHeldOut)
                    .doesNotContainAnyElementsOf(train);
            assertThat(train.size() + heldOut.size()).as("together every pair").isEqualTo(side * side);
            assertThat(task.splits(config).get(1).description()).contains("the other " + expectedHeldOut + " pairs");
        }
        assertThat(task.generate(task.schema().defaults(), Split.TEST_ID, 50, 1))
                .as("the partition is the same for every seed").allSatisfy(e -> assertThat(
                        task.generate(task.schema().defaults(), Split.TEST_ID, 4000, 2).stream()
                                .map(Example::input).toList()).contains(e.input()));
    }

    /** An independent traversal: parse the prefix tree recursively and visit in the task's order. */
    private static int traverse(List<String> tokens, int at, String order, List<String> out) {
        if (tokens.get(at).equals("L")) {
            return at + 1;
        }
        String label = tokens.get(at + 1);
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        int afterLeft = traverse(tokens, at + 2, order, left);
        int end = traverse(tokens, afterLeft, order, right);
        switch (order) {
            case "preorder" -> {
                out.add(label);
                out.addAll(left);
                out.addAll(right);
            }
            case "inorder" -> {
                out.addAll(left);
                out.add(label);
                out.addAll(right);
            }
            default -> {
                out.addAll(left);
                out.addAll(right);
                out.add(label);
            }
        }
        return end;
    }

    @RepeatedTest(3)
    void peanoAdditionAddsAndListReversalReverses() {
        long seed = new Random().nextLong();
        PeanoAddTask add = new PeanoAddTask();
        for (Split split : add.splits(add.schema().defaults())) {
            for (Example e : add.generate(add.schema().defaults(), split.name(), 100, seed)) {
                int n = e.features().get("n");
                int m = e.features().get("m");
                assertThat(e.target()).as("seed %d, %s", seed, e).isEqualTo(PeanoAddTask.unary(n + m));
                assertThat(e.features().get("steps")).isEqualTo(n + 1);
            }
        }
        ListReverseTask rev = new ListReverseTask();
        for (Example e : rev.generate(rev.schema().defaults(), "test-ood-length", 100, seed)) {
            List<String> labels = new ArrayList<>(e.input().stream().filter(t -> t.matches("[0-9]")).toList());
            Collections.reverse(labels);
            assertThat(e.target()).as("seed %d, %s", seed, e).isEqualTo(labels);
        }
    }

    @RepeatedTest(3)
    void booleanEvaluationAgreesWithJavaAndDepthIsExact() {
        long seed = new Random().nextLong();
        BoolEvalTask task = new BoolEvalTask();
        Config config = task.schema().defaults();
        for (Example e : task.generate(config, Split.TRAIN, 200, seed)) {
            boolean[] value = new boolean[1];
            evaluate(e.input(), 0, value);
            assertThat(e.target()).as("seed %d, %s", seed, e).containsExactly(value[0] ? "T" : "F");
            assertThat(e.features().get("depth")).isBetween(1, 3);
        }
        assertThat(task.generate(config, BoolEvalTask.OOD_DEPTH, 100, seed))
                .allSatisfy(e -> assertThat(e.features().get("depth")).isBetween(4, 5));
    }

    private static int evaluate(List<String> tokens, int at, boolean[] value) {
        switch (tokens.get(at)) {
            case "T", "F" -> {
                value[0] = tokens.get(at).equals("T");
                return at + 1;
            }
            case "not" -> {
                int end = evaluate(tokens, at + 1, value);
                value[0] = !value[0];
                return end;
            }
            default -> {
                boolean[] a = new boolean[1];
                boolean[] b = new boolean[1];
                int mid = evaluate(tokens, at + 1, a);
                int end = evaluate(tokens, mid, b);
                value[0] = tokens.get(at).equals("and") ? a[0] && b[0] : a[0] || b[0];
                return end;
            }
        }
    }

    @Test
    void allRedexesAreOfferedWithTheReferenceStrategysFirst() {
        TreeTraversalTask task = new TreeTraversalTask.Preorder();
        Config config = task.schema().defaults();
        List<String> term = List.of("3", "pre", "N", "1", "L", "L", "pre", "L");
        List<ReductionStep> steps = task.reductions(config, term);
        assertThat(steps).extracting(ReductionStep::rule).containsExactly("iota:pre/N", "iota:pre/L");
        assertThat(steps).extracting(ReductionStep::position).containsExactly("1", "6");
        assertThat(steps.get(0).term()).containsExactly("3", "1", "pre", "L", "pre", "L", "pre", "L");
        assertThat(steps.get(1).term()).containsExactly("3", "pre", "N", "1", "L", "L");
    }

    @Test
    void theTasksAreOfferedByOneModule() {
        List<Task> all = tasks().map(t -> (Task) t).toList();
        assertThat(all).extracting(Task::id).containsExactly("binary-successor", "preorder", "inorder", "postorder",
                "peano-add", "list-reverse", "bool-eval");
        assertThat(all).allSatisfy(t -> assertThat(t.modes()).hasSize(2));
    }
}
