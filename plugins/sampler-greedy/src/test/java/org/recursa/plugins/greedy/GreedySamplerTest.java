package org.recursa.plugins.greedy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.WeightSet;

class GreedySamplerTest {

    private static final int STOP = 2;
    private final GreedySampler sampler = new GreedySampler();
    private final Config none = sampler.schema().defaults();

    @Test
    void followsTheArgmaxUntilTheStopToken() {
        // successor model over 10 tokens: 5 -> 6 -> 7 -> 8 -> 9 -> 0 -> 1 -> 2 (stop)
        TableModel model = new TableModel(10, 64, t -> (t + 1) % 10);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {4, 5}), 20, STOP), none);
        assertThat(decoded.outputs()).singleElement().isEqualTo(new int[] {6, 7, 8, 9, 0, 1});
        assertThat(decoded.generatedTokens()).isEqualTo(7);
        assertThat(decoded.modelCalls()).isEqualTo(7);
    }

    @Test
    void stopsAtMaxNewTokens() {
        TableModel model = new TableModel(10, 64, t -> 5);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {3}), 4, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {5, 5, 5, 5});
    }

    @Test
    void neverAsksTheModelAboutASequenceLongerThanItAccepts() {
        TableModel model = new TableModel(10, 5, t -> 7);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {3, 3}), 50, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {7, 7, 7});
    }

    @Test
    void batchesRowsOfDifferentLengthsIntoOneCallPerStep() {
        TableModel model = new TableModel(10, 64, t -> t == 9 ? STOP : t + 1);
        List<int[]> prompts = List.of(new int[] {8}, new int[] {1, 2, 3}, new int[] {9});
        Decoded decoded = sampler.decode(model, new DecodeRequest(prompts, 20, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {9});
        assertThat(decoded.outputs().get(1)).isEqualTo(new int[] {4, 5, 6, 7, 8, 9});
        assertThat(decoded.outputs().get(2)).isEmpty();
        assertThat(decoded.modelCalls()).as("one call per step of the longest row").isEqualTo(7);
        assertThat(model.calls).isEqualTo(7);
    }

    @Test
    void tiesGoToTheLowestToken() {
        TableModel model = new TableModel(10, 64, t -> -1); // all logits zero
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {5}), 3, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {0, 0, 0});
    }

    @Test
    void noPromptsMeansNoCalls() {
        TableModel model = new TableModel(10, 64, t -> 1);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(), 10, STOP), none);
        assertThat(decoded.outputs()).isEmpty();
        assertThat(decoded.modelCalls()).isZero();
    }

    @Test
    void nanLogitsAreAnErrorNamingTheRow() {
        Model diverged = new Model() {
            @Override
            public ModelInfo info() {
                return new ModelInfo("nan", 4, 16, 0, 0, 0, 0);
            }

            @Override
            public float[][] nextTokenLogits(int[][] sequences) {
                return new float[][] {{0, 1, 0, 0}, {0, Float.NaN, 0, 0}};
            }

            @Override
            public WeightSet weights() {
                return new WeightSet(java.util.Map.of());
            }
        };
        DecodeRequest request = new DecodeRequest(List.of(new int[] {3}, new int[] {3}), 2, STOP);
        assertThatThrownBy(() -> sampler.decode(diverged, request, none))
                .hasMessage("the model returned NaN logits for row 1 (token 1); the model has diverged");
    }
}
