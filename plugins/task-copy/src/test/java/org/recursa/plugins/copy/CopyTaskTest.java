package org.recursa.plugins.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.Verdict;
import org.recursa.api.task.Vocabulary;

class CopyTaskTest {

    private final CopyTask task = new CopyTask();
    private final Config defaults = task.schema().defaults();

    @RepeatedTest(5)
    void generationIsAPureFunctionOfItsArguments() {
        long seed = new Random().nextLong();
        List<Example> first = task.generate(defaults, "train", 50, seed);
        assertThat(task.generate(defaults, "train", 50, seed)).as("seed %d", seed).isEqualTo(first);
        assertThat(task.generate(defaults, "train", 50, seed + 1)).as("seed %d", seed).isNotEqualTo(first);
        assertThat(task.generate(defaults, "test-id", 50, seed)).as("seed %d", seed).isNotEqualTo(first);
    }

    @RepeatedTest(5)
    void everySplitRespectsItsLengthsAndTheVocabulary() {
        long seed = new Random().nextLong();
        Config config = task.schema().resolve(Map.of("symbols", "5", "min_length", "2", "max_length", "6",
                "ood_length", "12"));
        Vocabulary vocabulary = task.vocabulary(config);
        for (String split : List.of("train", "test-id", "test-ood-length")) {
            for (Example example : task.generate(config, split, 200, seed)) {
                int length = example.input().size();
                assertThat(length).as("seed %d split %s", seed, split)
                        .isBetween(split.equals("test-ood-length") ? 7 : 2, split.equals("test-ood-length") ? 12 : 6);
                assertThat(example.target()).isEqualTo(example.input());
                assertThat(example.features()).containsEntry("length", length);
                assertThat(example.id()).startsWith(split + "/");
                assertThat(java.util.Arrays.stream(vocabulary.encode(example.input()))).allMatch(id -> id > Vocabulary.STEP_ID && id < 9);
            }
        }
    }

    @Test
    void splitsAreNamedAndMarked() {
        assertThat(task.splits(defaults)).extracting(s -> s.name() + ":" + s.outOfDistribution())
                .containsExactly("train:false", "test-id:false", "test-ood-length:true");
    }

    @Test
    void badSplitsAndSettingsGetOneClearLine() {
        assertThatThrownBy(() -> task.generate(defaults, "test-ood-depth", 1, 0))
                .hasMessage("unknown split 'test-ood-depth' for task copy; valid splits: train, test-id, test-ood-length");
        assertThatThrownBy(() -> task.schema().resolve(Map.of("lenght", "3")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'lenght'; valid settings: max_length, min_length, ood_length, symbols");
        assertThatThrownBy(() -> task.schema().resolve(Map.of("symbols", "40")))
                .hasMessage("setting 'symbols' must be an integer in [2, 26], got '40'");
        Config inverted = task.schema().resolve(Map.of("min_length", "9", "max_length", "4"));
        assertThatThrownBy(() -> task.generate(inverted, "train", 1, 0))
                .hasMessage("setting 'min_length' (9) must not exceed 'max_length' (4)");
        Config noRoom = task.schema().resolve(Map.of("max_length", "16"));
        assertThatThrownBy(() -> task.generate(noRoom, "train", 1, 0))
                .hasMessage("setting 'max_length' (16) must be below 'ood_length' (16)");
    }

    @Test
    void theDerivationEndsAtTheAnswer() {
        Derivation derivation = task.derive(defaults, List.of("a", "b", "c"));
        assertThat(derivation.answer()).containsExactly("a", "b", "c");
        assertThat(derivation.steps()).singleElement().satisfies(step -> {
            assertThat(step.rule()).isEqualTo("copy");
            assertThat(step.term()).isEqualTo(derivation.answer());
        });
    }

    @Test
    void theCheckerFindsTheFirstWrongToken() {
        Example example = new Example("x/0", "train", List.of("a", "b", "c"), List.of("a", "b", "c"), Map.of());
        assertThat(task.check(example, List.of("a", "b", "c")).correct()).isTrue();
        Verdict wrong = task.check(example, List.of("a", "c", "c"));
        assertThat(wrong.firstError()).isEqualTo(1);
        assertThat(wrong.tokensCorrect()).isEqualTo(2);
        assertThat(wrong.explanation()).isEqualTo("token 1: expected 'b', got 'c'");
        Verdict shorter = task.check(example, List.of("a", "b"));
        assertThat(shorter.firstError()).isEqualTo(2);
        assertThat(shorter.explanation()).isEqualTo("token 2: expected 'c', got end of output");
        Verdict longer = task.check(example, List.of("a", "b", "c", "a"));
        assertThat(longer.correct()).isFalse();
        assertThat(longer.firstError()).isEqualTo(3);
        assertThat(longer.tokensCorrect()).isEqualTo(3);
    }
}
