package org.recursa.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Verdict;

/** Each rule of {@link TaskConformance} passes a conforming task and catches a task that breaks it. */
class TaskConformanceTest {

    @Test
    void aConformingTaskPassesQuickly() {
        long start = System.nanoTime();
        TaskConformance.verify(new SortTask(), Map.of());
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to verify the sort task").isLessThan(5);
    }

    @Test
    void aTaskWithoutTestIdIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public List<Split> splits(Config config) {
                return List.of(new Split(Split.TRAIN, "lengths 1..6", false), new Split(OOD, "lengths 7..9", true));
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of())).isInstanceOf(AssertionError.class)
                .hasMessage("task 'sort' has no 'test-id' split; it declares [train, test-ood-length]");
    }

    @Test
    void aSplitDeclaredTwiceIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public List<Split> splits(Config config) {
                List<Split> splits = new ArrayList<>(super.splits(config));
                splits.add(new Split(Split.TEST_ID, "again", false));
                return splits;
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort': split 'test-id' is declared twice");
    }

    @Test
    void generationSeededFromTheClockIsCaught() {
        SortTask task = new SortTask() {
            @Override
            SplittableRandom random(String split, long seed) {
                return new SplittableRandom(System.nanoTime());
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort' split 'train': two draws with seed 24301 differ at example 0")
                .hasMessageEndingWith("generation must depend on the seed only");
    }

    @Test
    void generationThatIgnoresTheSeedIsCaught() {
        SortTask task = new SortTask() {
            @Override
            SplittableRandom random(String split, long seed) {
                return super.random(split, 7);
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessage("task 'sort' split 'train': seeds 24301 and 24302 give the same 64 inputs; the seed must "
                        + "choose the examples");
    }

    @Test
    void aTestSplitInsideTheTrainingSetIsCaught() {
        // test-id draws single letters only: all 8 of them are among 1,000 training draws.
        SortTask task = new SortTask() {
            @Override
            List<String> word(String split, SplittableRandom random) {
                List<String> word = super.word(split, random);
                return split.equals(Split.TEST_ID) ? word.subList(0, 1) : word;
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort' split 'test-id': all 256 draws (8 distinct inputs) are inputs "
                        + "of the 1000 training examples")
                .hasMessageContaining("cannot be held out");
    }

    @Test
    void aTokenOutsideTheVocabularyIsCaught() {
        SortTask task = new SortTask() {
            @Override
            List<String> word(String split, SplittableRandom random) {
                List<String> word = new ArrayList<>(super.word(split, random));
                if (split.equals(OOD)) {
                    word.set(0, "z");
                }
                return word;
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort' split 'test-ood-length' example test-ood-length/0 input [z, ")
                .hasMessageContaining("cannot be encoded: token 'z' is not in the vocabulary");
    }

    @Test
    void aSpecialTokenInATargetIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public List<Example> generate(Config config, String split, int count, long seed) {
                return super.generate(config, split, count, seed).stream().map(e -> new Example(e.id(), e.split(),
                        e.input(), append(e.target(), "<eos>"), e.features())).toList();
            }
        };
        assertThatThrownBy(() -> TaskConformance.spellsEverythingInItsVocabulary(task, ConfigSchema.EMPTY.defaults()))
                .hasMessageStartingWith("task 'sort' split 'train' example train/0 target [")
                .hasMessageContaining("holds the special token <eos> at position");
    }

    @Test
    void aDeriveThatDisagreesWithItsTargetIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public Derivation derive(Config config, List<String> input) {
                return new Derivation(input, List.of(), input);
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort' split 'train' example train/")
                .hasMessageContaining(": derive answers [")
                .hasMessageContaining("] but the target is [");
    }

    @Test
    void aTraceStepThatIsNoSingleReductionIsCaught() {
        // Sorting in one step: right answer, but not one swap at a time.
        SortTask task = new SortTask() {
            @Override
            public Derivation derive(Config config, List<String> input) {
                List<String> answer = SortTask.sorted(input);
                return new Derivation(input, List.of(new ReductionStep("sort", "", answer)), answer);
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort' split 'train' example train/")
                .hasMessageContaining(": derivation step 0 (sort at '') gives [")
                .hasMessageContaining("which is not a single reduction of [");
    }

    @Test
    void aTraceThatStopsBeforeTheNormalFormIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public List<ReductionStep> reductions(Config config, List<String> term) {
                // Claims a redex on every word, sorted ones too (the interpreter stops at the real normal form).
                List<ReductionStep> steps = new ArrayList<>(super.reductions(config, term));
                steps.add(new ReductionStep("noop", "0", term));
                return steps;
            }
        };
        assertThatThrownBy(() -> TaskConformance.derivesEveryTarget(task, ConfigSchema.EMPTY.defaults()))
                .hasMessageContaining(", which is not in normal form: reductions lists [");
    }

    @Test
    void aCheckerThatAcceptsAnythingIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public Verdict check(Example example, List<String> predicted) {
                return new Verdict(true, 0, 0, -1, example.target(), predicted, "fine");
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort' split 'train' example train/0 (")
                .hasMessageContaining("mode): the checker accepts [")
                .hasMessageContaining("changed) for the target [");
    }

    @Test
    void aCheckerThatAcceptsAPrefixIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public Verdict check(Example example, List<String> predicted) {
                List<String> target = example.target();
                boolean prefix = predicted.size() <= target.size() && predicted.equals(target.subList(0,
                        predicted.size()));
                return prefix ? new Verdict(true, predicted.size(), target.size(), -1, target, predicted, "prefix")
                        : Verdict.compare(target, predicted);
            }
        };
        assertThatThrownBy(() -> TaskConformance.verify(task, Map.of()))
                .hasMessageStartingWith("task 'sort' split 'train' example train/0 (")
                .hasMessageContaining("mode): the checker accepts the truncated [");
    }

    @Test
    void aCheckerThatRejectsTheTargetIsCaught() {
        SortTask task = new SortTask() {
            @Override
            public Verdict check(Example example, List<String> predicted) {
                return Verdict.compare(example.input(), predicted);
            }
        };
        assertThatThrownBy(() -> TaskConformance.rejectsCorruptedAnswers(task, ConfigSchema.EMPTY.defaults()))
                .hasMessageContaining("mode): the checker rejects the target [");
    }

    private static List<String> append(List<String> tokens, String token) {
        List<String> out = new ArrayList<>(tokens);
        out.add(token);
        return out;
    }
}
