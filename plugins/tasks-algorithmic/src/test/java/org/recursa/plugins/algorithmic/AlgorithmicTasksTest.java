package org.recursa.plugins.algorithmic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;

class AlgorithmicTasksTest {

    @RepeatedTest(3)
    void additionIsTheSumLeastSignificantDigitFirst() {
        long seed = new Random().nextLong();
        AdditionTask task = new AdditionTask();
        Config config = task.schema().resolve(Map.of("max_length", "40", "ood_length", "400"));
        for (String split : List.of("train", "test-id", "test-ood-length")) {
            for (Example e : task.generate(config, split, 100, seed)) {
                int plus = e.input().indexOf("+");
                BigInteger a = number(e.input().subList(0, plus));
                BigInteger b = number(e.input().subList(plus + 1, e.input().size()));
                assertThat(number(e.target())).as("seed %d, %s", seed, e).isEqualTo(a.add(b));
                if (e.target().size() > 1) {
                    assertThat(e.target().get(e.target().size() - 1)).as("seed %d, no leading zero in %s", seed, e)
                            .isNotEqualTo("0");
                }
                int length = e.features().get("length");
                assertThat(length).isBetween(split.equals("test-ood-length") ? 41 : 1,
                        split.equals("test-ood-length") ? 400 : 40);
            }
        }
    }

    @Test
    void carryChainCountsConsecutiveCarries() {
        assertThat(AdditionTask.longestCarryRun(List.of("9", "9", "9", "+", "1"))).isEqualTo(3);
        assertThat(AdditionTask.longestCarryRun(List.of("5", "0", "5", "+", "5", "0", "5"))).isEqualTo(1);
        assertThat(AdditionTask.longestCarryRun(List.of("1", "+", "2"))).isZero();
    }

    @RepeatedTest(3)
    void reverseReverses() {
        long seed = new Random().nextLong();
        ReverseTask task = new ReverseTask();
        for (Example e : task.generate(task.schema().defaults(), "test-ood-length", 100, seed)) {
            List<String> reversed = new ArrayList<>(e.input());
            Collections.reverse(reversed);
            assertThat(e.target()).as("seed %d", seed).isEqualTo(reversed);
            assertThat(e.input().size()).isBetween(9, 16);
        }
    }

    @Test
    void theyAreIoOnlyAndCheckTheirSettings() {
        assertThat(new AdditionTask().modes()).containsExactly(Mode.IO);
        ReverseTask task = new ReverseTask();
        Config bad = task.schema().resolve(Map.of("max_length", "20"));
        assertThatThrownBy(() -> task.generate(bad, "train", 1, 1)).isInstanceOf(ConfigException.class)
                .hasMessage("setting 'max_length' (20) must be below 'ood_length' (16)");
        assertThatThrownBy(() -> task.generate(task.schema().defaults(), "dev", 1, 1))
                .hasMessage("unknown split 'dev' for task reverse; valid splits: train, test-id, test-ood-length");
    }

    private static BigInteger number(List<String> digits) {
        StringBuilder text = new StringBuilder();
        for (int i = digits.size() - 1; i >= 0; i--) {
            text.append(digits.get(i));
        }
        return new BigInteger(text.toString());
    }
}
