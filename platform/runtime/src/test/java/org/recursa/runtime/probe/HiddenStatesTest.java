package org.recursa.runtime.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.recursa.engine.train.Recorder;

/** The host's recorder: states of active input tokens only, traced to their examples; steps in computation order. */
class HiddenStatesTest {

    @Test
    void keepsTheActiveInputTokensOfEveryExampleAndOneExamplesAttention() {
        HiddenStates states = new HiddenStates(1);
        // two rows of T = 3: inputs of 2 and 1 tokens, real lengths 3 and 2
        states.batch(0, new int[] {2, 1}, new int[] {3, 2}, 3);
        float[][] hidden = {{0}, {1}, {2}, {3}, {4}, {5}};
        float[][][][] attention = new float[2][1][3][3];
        attention[1][0][1][0] = 0.5f;
        states.step(new Recorder.Step("layer.1", 1, hidden, attention,
                new boolean[] {true, false, true, true, true, false}));
        assertThat(states.at("layer.1")).extracting(HiddenStates.TokenState::example, HiddenStates.TokenState::token)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 0), org.assertj.core.groups.Tuple.tuple(1, 0));
        assertThat(states.at("layer.1").get(1).state()).containsExactly(3f);
        assertThat(states.attention().get("layer.1")).hasDimensions(1, 2);
        assertThat(states.attention().get("layer.1")[0][1]).containsExactly(0.5f, 0f);
    }

    @Test
    void aStepOnlySomePassesRecordGoesRightAfterTheStepBeforeIt() {
        HiddenStates states = new HiddenStates(0);
        pass(states, "embed", "layer.first", "recursion.1", "layer.last");
        pass(states, "embed", "layer.first", "recursion.1", "recursion.2", "layer.last");
        pass(states, "embed", "layer.first", "recursion.1", "recursion.2", "recursion.3", "layer.last");
        assertThat(states.steps()).containsExactly("embed", "layer.first", "recursion.1", "recursion.2",
                "recursion.3", "layer.last");
    }

    private static void pass(HiddenStates states, String... names) {
        states.batch(0, new int[] {1}, new int[] {1}, 1);
        for (int i = 0; i < names.length; i++) {
            states.step(new Recorder.Step(names[i], i, new float[][] {{i}}, null, new boolean[] {true}));
        }
    }
}
