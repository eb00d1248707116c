package org.recursa.plugins.recursion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.recursa.api.Config;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;
import org.recursa.api.task.TokenFeature;

/** The per-token quantities the tasks declare for probes, on terms worked out by hand and on generated ones. */
class TokenFeaturesTest {

    private static final double N = Double.NaN;

    @Test
    void binarySuccessorMarksTheCarryChainAndTheStepsLeft() {
        // 11 = B1 B1 B0 B1: a carry chain of two, three steps
        Map<String, TokenFeature> features = features(new BinarySuccessorTask(), "succ B1 B1 B0 B1 Z");
        assertThat(features.get("in_carry_chain").kind()).isEqualTo(TokenFeature.Kind.BINARY);
        assertThat(features.get("in_carry_chain").values()).containsExactly(N, 1, 1, 0, 0, 0);
        assertThat(features.get("remaining_steps").kind()).isEqualTo(TokenFeature.Kind.NUMERIC);
        assertThat(features.get("remaining_steps").values()).containsExactly(N, 3, 2, 1, 0, 0);
        assertThat(features.get("pending_subterms").values()).containsExactly(1, 1, 1, 1, 1, 0);
        // all ones: the carry runs into Z, which the last step reads
        assertThat(features(new BinarySuccessorTask(), "succ B1 B1 Z").get("remaining_steps").values())
                .containsExactly(N, 3, 2, 1);
    }

    @Test
    void treesGiveEveryTokenTheLevelOfItsNode() {
        // pre (N 3 (N 1 L L) L): the root and its label at 1, the left child at 2, its leaves at 3, the right leaf 2
        Map<String, TokenFeature> features = features(new TreeTraversalTask.Preorder(), "pre N 3 N 1 L L L");
        assertThat(features).containsOnlyKeys("depth", "pending_subterms");
        assertThat(features.get("depth").values()).containsExactly(N, 1, 1, 2, 2, 3, 3, 2);
        assertThat(features.get("pending_subterms").values()).containsExactly(1, 3, 2, 4, 3, 2, 1, 0);
    }

    @Test
    void listsGiveEveryElementItsDepthAndItsPlaceFromTheEnd() {
        Map<String, TokenFeature> features = features(new ListReverseTask(), "rev C 4 C 7 N");
        assertThat(features.get("depth").values()).containsExactly(N, 0, 0, 1, 1, 2);
        assertThat(features.get("position_from_end").values()).containsExactly(N, 1, 1, 0, 0, N);
    }

    @Test
    void aFeatureRefusesValuesItsKindCannotHoldAndKeepsItsOwnCopy() {
        assertThatThrownBy(() -> new TokenFeature("bit", TokenFeature.Kind.BINARY, new double[] {0, 2}))
                .hasMessage("token feature 'bit' (BINARY) has the value 2.0");
        assertThatThrownBy(() -> new TokenFeature("class", TokenFeature.Kind.CATEGORICAL, new double[] {1.5}))
                .hasMessage("token feature 'class' (CATEGORICAL) has the value 1.5");
        assertThatThrownBy(() -> new TokenFeature("Depth", TokenFeature.Kind.NUMERIC, new double[0]))
                .hasMessageContaining("must match [a-z][a-z0-9_]*");
        double[] values = {N, 1};
        TokenFeature feature = new TokenFeature("bit", TokenFeature.Kind.BINARY, values);
        values[1] = 0;
        feature.values()[1] = 0;
        assertThat(feature.values()).containsExactly(N, 1);
        assertThat(feature).isEqualTo(new TokenFeature("bit", TokenFeature.Kind.BINARY, new double[] {N, 1}));
    }

    @ParameterizedTest
    @MethodSource("org.recursa.plugins.recursion.RecursionTasksTest#tasks")
    void everyGeneratedExampleHasOneValuePerInputTokenUnderTheSameNames(RewritingTask task) {
        long seed = new Random().nextLong();
        Config config = task.schema().defaults();
        List<String> names = null;
        for (Split split : task.splits(config)) {
            for (Example example : task.generate(config, split.name(), 50, seed)) {
                List<TokenFeature> features = task.tokenFeatures(config, example);
                List<String> these = features.stream().map(TokenFeature::name).toList();
                assertThat(these).as("seed %d", seed).doesNotHaveDuplicates().contains("pending_subterms");
                if (names != null) {
                    assertThat(these).as("seed %d, %s", seed, example.id()).isEqualTo(names);
                }
                names = these;
                for (TokenFeature feature : features) {
                    assertThat(feature.values()).as("seed %d, %s", seed, example.id()).hasSize(example.input().size());
                }
                double[] pending = byName(features).get("pending_subterms").values();
                assertThat(pending[pending.length - 1]).as("a complete term").isZero();
                if (task instanceof BinarySuccessorTask) {
                    // the token the recursion reads first has as many steps left as the derivation takes
                    assertThat(byName(features).get("remaining_steps").values()[1])
                            .isEqualTo((double) example.features().get("steps"));
                }
            }
        }
    }

    private static Map<String, TokenFeature> features(RewritingTask task, String input) {
        List<String> tokens = List.of(input.split(" "));
        Config config = task.schema().defaults();
        Example example = new Example("hand/0", Split.TEST_ID, tokens, task.derive(config, tokens).answer(),
                Map.of());
        return byName(task.tokenFeatures(config, example));
    }

    private static Map<String, TokenFeature> byName(List<TokenFeature> features) {
        return features.stream().collect(Collectors.toMap(TokenFeature::name, Function.identity()));
    }
}
