package org.recursa.plugins.recursion;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.api.task.Task;
import org.recursa.tck.TaskConformance;

/**
 * Every structural-recursion task passes the task TCK with its defaults, and the tasks that can split their steps
 * into δ, β and ι also with {@code trace_steps=split}, whose traces are longer and use more reduction rules.
 */
class TaskConformanceTest {

    static List<Named<Task>> tasks() {
        return named(new BinarySuccessorTask(), new TreeTraversalTask.Preorder(), new TreeTraversalTask.Inorder(),
                new TreeTraversalTask.Postorder(), new PeanoAddTask(), new ListReverseTask(), new BoolEvalTask());
    }

    /** The tasks named in {@link RewritingTask#SPLIT_TASKS}. */
    static List<Named<Task>> splitTasks() {
        return named(new BinarySuccessorTask(), new PeanoAddTask(), new BoolEvalTask());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tasks")
    void defaults(Task task) {
        TaskConformance.verify(task, Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splitTasks")
    void splitSteps(Task task) {
        TaskConformance.verify(task, Map.of("trace_steps", "split"));
    }

    /** The tasks named by their ids in the test report. */
    private static List<Named<Task>> named(Task... tasks) {
        return Arrays.stream(tasks).map(task -> Named.of(task.id(), task)).toList();
    }
}
