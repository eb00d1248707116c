package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.Task;
import org.recursa.runtime.train.BoundTask;
import org.recursa.runtime.train.Evaluation;

/**
 * Distinct inputs and accuracy per distinct input of an evaluated split that repeats inputs, judged by the real copy
 * task's checker (from its bundle).
 */
class DistinctInputsTest {

    @TempDir
    static Path home;

    private static RecursaHost host;
    private static BoundTask task;

    @BeforeAll
    static void start() {
        host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
        Task copy = host.registry().require(Task.class, "copy");
        task = new BoundTask(copy, copy.schema().defaults(), Mode.IO);
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void repeatedInputsCountOnceAndWeighTheirShareOfCorrectCopies() {
        // a b three times (right, right, wrong), c once (right), d d once (wrong): a sampler that is not
        // deterministic can be right on some copies of an input and wrong on others.
        List<BoundTask.Judgement> judgements = new ArrayList<>();
        judgements.add(judge(0, List.of("a", "b"), List.of("a", "b")));
        judgements.add(judge(1, List.of("a", "b"), List.of("a", "b")));
        judgements.add(judge(2, List.of("a", "b"), List.of("a", "a")));
        judgements.add(judge(3, List.of("c"), List.of("c")));
        judgements.add(judge(4, List.of("d", "d"), List.of("d")));
        Evaluation.Result result = result(judgements);

        assertThat(result.examples()).isEqualTo(5);
        assertThat(result.distinctInputs()).isEqualTo(3);
        assertThat(result.sequenceAccuracy()).isCloseTo(3 / 5.0, within(1e-12));
        assertThat(result.distinctSequenceAccuracy()).isCloseTo((2 / 3.0 + 1 + 0) / 3, within(1e-12));
    }

    @Test
    void inputsAreComparedAsTokenListsNotByExampleIdOrTarget() {
        List<BoundTask.Judgement> judgements = new ArrayList<>();
        judgements.add(judge(0, List.of("a", "b"), List.of("a", "b")));
        judgements.add(judge(7, List.of("a", "b"), List.of("a", "b")));
        judgements.add(judge(8, List.of("b", "a"), List.of("a", "b")));
        judgements.add(judge(9, List.of("a", "b", "a"), List.of("a", "b", "a")));
        Evaluation.Result result = result(judgements);
        assertThat(result.distinctInputs()).as("a b, b a, a b a").isEqualTo(3);
        assertThat(result.distinctSequenceAccuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(result.sequenceAccuracy()).isCloseTo(3 / 4.0, within(1e-12));
    }

    @Test
    void anEmptySplitHasNoDistinctInputs() {
        Evaluation.Result result = result(List.of());
        assertThat(result.distinctInputs()).isZero();
        assertThat(result.distinctSequenceAccuracy()).isZero();
    }

    private static BoundTask.Judgement judge(int id, List<String> input, List<String> predicted) {
        return task.judge(new Example("test-id/" + id, "test-id", input, input, Map.of("length", input.size())),
                predicted);
    }

    private static Evaluation.Result result(List<BoundTask.Judgement> judgements) {
        long correct = judgements.stream().filter(j -> j.verdict().correct()).count();
        List<double[]> depths = new ArrayList<>();
        judgements.forEach(j -> depths.add(null));
        return new Evaluation.Result("test-id", judgements.size(), 0.0,
                judgements.isEmpty() ? 0 : correct / (double) judgements.size(), judgements, depths,
                Evaluation.Decoding.NONE);
    }
}
