package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;
import org.recursa.tck.TaskConformance;

class ${className}TaskTest {

    private final ${className}Task task = new ${className}Task();
    private final Config defaults = task.schema().defaults();

    /** The task TCK: the splits the host needs, determinism per seed, held-out inputs, derive and the checker. */
    @Test
    void passesTheTaskConformanceKit() {
        TaskConformance.verify(task, Map.of());
        TaskConformance.verify(task, Map.of("min_length", "1", "max_length", "6", "ood_length", "9"));
    }

    @Test
    void theInterpreterAgreesWithCountingOnes() {
        for (Example example : task.generate(defaults, Split.TRAIN, 500, 7)) {
            assertThat(task.derive(defaults, example.input()).answer())
                    .as("input %s", example.input()).containsExactly(${className}Task.parity(example.input()));
        }
    }

    @Test
    void trainAndTestIdShareNoInput() {
        Set<List<String>> train = new HashSet<>();
        task.generate(defaults, Split.TRAIN, 5000, 1).forEach(example -> train.add(example.input()));
        for (Example example : task.generate(defaults, Split.TEST_ID, 2000, 2)) {
            assertThat(train).as("test-id input %s", example.input()).doesNotContain(example.input());
        }
    }

    @Test
    void traceFoldsOneBitAtATime() {
        var derivation = task.derive(defaults, List.of("1", "0", "1", "1"));
        assertThat(derivation.steps()).extracting(step -> String.join("", step.term()))
                .containsExactly("111", "01", "1");
        assertThat(derivation.answer()).containsExactly("1");
    }
}
