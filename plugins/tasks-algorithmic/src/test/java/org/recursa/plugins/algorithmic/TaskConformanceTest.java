package org.recursa.plugins.algorithmic;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.api.task.Task;
import org.recursa.tck.TaskConformance;

/** Every algorithmic task passes the task TCK with its defaults and with longer inputs. */
class TaskConformanceTest {

    static List<Named<Task>> tasks() {
        return named(new ReverseTask(), new AdditionTask());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tasks")
    void defaults(Task task) {
        TaskConformance.verify(task, Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tasks")
    void longerInputs(Task task) {
        TaskConformance.verify(task, Map.of("min_length", "4", "max_length", "12", "ood_length", "20"));
    }

    /** The tasks named by their ids in the test report. */
    private static List<Named<Task>> named(Task... tasks) {
        return Arrays.stream(tasks).map(task -> Named.of(task.id(), task)).toList();
    }
}
