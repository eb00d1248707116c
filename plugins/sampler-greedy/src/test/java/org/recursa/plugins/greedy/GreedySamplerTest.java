package org.recursa.plugins.greedy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.SpecialTokens;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.WeightSet;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.SamplerConformance;
import org.recursa.tck.TableModel;

class GreedySamplerTest {

    private static final int STOP = 2;
    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12", "layers", "2");
    private final GreedySampler sampler = new GreedySampler();
    private final Config none = sampler.schema().defaults();

    @Test
    void followsTheArgmaxUntilTheStopToken() {
        // successor model over 10 tokens: 5 -> 6 -> 7 -> 8 -> 9 -> 1 -> 2 (stop)
        TableModel model = TableModel.chain(10, 64, t -> t == 9 ? 1 : (t + 1) % 10);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {4, 5}), 20, STOP), none);
        assertThat(decoded.outputs()).singleElement().isEqualTo(new int[] {6, 7, 8, 9, 1});
        assertThat(decoded.generatedTokens()).isEqualTo(6);
        assertThat(decoded.modelCalls()).as("one prefill, then one step per generated token but the last")
                .isEqualTo(6);
        // the recomputing session re-reads whole rows: the prompt (2), then rows of 3..7 tokens
        assertThat(decoded.flops()).isEqualTo(TableModel.FLOPS_PER_TOKEN * (2 + 3 + 4 + 5 + 6 + 7));
        assertThat(decoded.depths()).singleElement().satisfies(d -> assertThat(d).isEmpty());
    }

    @Test
    void reportsTheModelsLogProbabilityOfTheOutputAndTheStopToken() {
        // vocabulary: 0 pad, 1 separator, 2 stop, 3; logits are log-probabilities, so softmax returns them
        float[][] table = new float[4][];
        table[1] = logs(0.05, 0.05, 0.3, 0.6);          // after the prompt: 3 (0.6) beats stop (0.3)
        table[3] = logs(0.05, 0.05, 0.7, 0.2);          // after 3: stop (0.7)
        table[0] = logs(0.25, 0.25, 0.25, 0.25);
        table[2] = logs(0.25, 0.25, 0.25, 0.25);
        TableModel model = TableModel.of(table, 16);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {1}, new int[] {1, 3}), 5, STOP),
                none);
        assertThat(decoded.outputs()).containsExactly(new int[] {3}, new int[0]);
        assertThat(decoded.logProbabilities()[0]).isCloseTo(Math.log(0.6) + Math.log(0.7), within(1e-6));
        assertThat(decoded.logProbabilities()[1]).isCloseTo(Math.log(0.7), within(1e-6));
        assertThat(decoded.nBest().get(0)).singleElement().satisfies(h -> {
            assertThat(h.tokens()).containsExactly(3);
            assertThat(h.logProbability()).isEqualTo(decoded.logProbabilities()[0]);
        });
    }

    @Test
    void neverGeneratesPaddingEvenWhenItIsTheArgmax() {
        float[][] table = new float[4][];
        table[1] = logs(0.9, 0.02, 0.02, 0.06);         // padding is the argmax; 3 is the best real token
        table[3] = logs(0.9, 0.02, 0.06, 0.02);         // then stop
        table[0] = logs(0.25, 0.25, 0.25, 0.25);
        table[2] = logs(0.25, 0.25, 0.25, 0.25);
        Decoded decoded = sampler.decode(TableModel.of(table, 16),
                new DecodeRequest(List.of(new int[] {1}), 5, STOP), none);
        assertThat(decoded.outputs()).containsExactly(new int[] {3});
        assertThat(decoded.logProbabilities()[0]).isCloseTo(Math.log(0.06) + Math.log(0.06), within(1e-6));
    }

    @Test
    void stopsAtMaxNewTokens() {
        TableModel model = TableModel.chain(10, 64, t -> 5);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {3}), 4, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {5, 5, 5, 5});
        assertThat(decoded.modelCalls()).as("the fourth token needs no step after it").isEqualTo(4);
    }

    @Test
    void neverAsksTheModelAboutASequenceLongerThanItAccepts() {
        TableModel model = TableModel.chain(10, 5, t -> 7);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {3, 3}), 50, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {7, 7, 7});
        assertThat(model.longest()).isEqualTo(4);
    }

    @Test
    void aPromptThatFillsTheModelGetsNothingAndCostsNothing() {
        TableModel model = TableModel.chain(10, 3, t -> 7);
        DecodeRequest request = new DecodeRequest(List.of(new int[] {3, 3, 3}, new int[] {3, 3, 3, 3}), 5, STOP);
        Decoded decoded = sampler.decode(model, request, none);
        assertThat(decoded.outputs()).containsExactly(new int[0], new int[0]);
        assertThat(decoded.logProbabilities()).containsExactly(0, 0);
        assertThat(model.calls()).isZero();
    }

    @Test
    void batchesRowsOfDifferentLengthsIntoOneCallPerStepAndStepsOnlyUnfinishedRows() {
        TableModel model = TableModel.chain(10, 64, t -> t == 9 ? STOP : t + 1);
        List<int[]> prompts = List.of(new int[] {8}, new int[] {1, 2, 3}, new int[] {9});
        Decoded decoded = sampler.decode(model, new DecodeRequest(prompts, 20, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {9});
        assertThat(decoded.outputs().get(1)).isEqualTo(new int[] {4, 5, 6, 7, 8, 9});
        assertThat(decoded.outputs().get(2)).isEmpty();
        assertThat(decoded.modelCalls()).as("one call per step of the longest row").isEqualTo(7);
        assertThat(model.calls()).isEqualTo(7);
        // prefill 1 + 3 + 1 tokens; row 0 is stepped once (2 tokens), row 1 six times (4..9), row 2 never
        assertThat(decoded.flops()).isEqualTo(TableModel.FLOPS_PER_TOKEN * (5 + 2 + 4 + 5 + 6 + 7 + 8 + 9));
    }

    @Test
    void tiesGoToTheLowestTokenThatIsNotPadding() {
        TableModel model = TableModel.chain(10, 64, t -> -1); // all logits zero
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {5}), 3, STOP), none);
        assertThat(decoded.outputs().get(0)).isEqualTo(new int[] {1, 1, 1});
        DecodeRequest padIsFour = new DecodeRequest(List.of(new int[] {5}), 3, STOP, 0, new SpecialTokens(4, 1, 2));
        assertThat(sampler.decode(model, padIsFour, none).outputs().get(0)).isEqualTo(new int[] {0, 0, 0});
    }

    @Test
    void noPromptsMeansNoCalls() {
        TableModel model = TableModel.chain(10, 64, t -> 1);
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

    @Test
    void passesTheSamplerConformanceChecks() {
        SamplerConformance.verify(sampler, none);
        Model vanilla = vanilla(3);
        SamplerConformance.honoursUnsupportedReason(sampler, none, vanilla);
        SamplerConformance.isDeterministicForASeed(sampler, none, vanilla, prompts(20));
    }

    @Test
    void agreesWithTheReferenceGreedyOnARealModel() {
        for (long seed : new long[] {1, 3, 5}) {
            SamplerConformance.agreesWithGreedy(sampler, none, vanilla(seed), prompts(20));
        }
    }

    @Test
    void theEnginesCachedSessionDecodesAsRecomputingWholeRows() {
        Model cached = vanilla(5);
        Model recomputing = new Model() {   // no openSession override: the API's recomputing session
            @Override
            public ModelInfo info() {
                return cached.info();
            }

            @Override
            public float[][] nextTokenLogits(int[][] sequences) {
                return cached.nextTokenLogits(sequences);
            }

            @Override
            public WeightSet weights() {
                return cached.weights();
            }
        };
        Decoded fast = sampler.decode(cached, prompts(20), none);
        Decoded slow = sampler.decode(recomputing, prompts(20), none);
        assertThat(fast.outputs()).containsExactlyElementsOf(slow.outputs());
        for (int row = 0; row < fast.outputs().size(); row++) {
            assertThat(fast.logProbabilities()[row]).isCloseTo(slow.logProbabilities()[row], within(1e-4));
        }
        assertThat(fast.modelCalls()).isEqualTo(slow.modelCalls());
        assertThat(fast.flops()).as("the cache computes each token once").isLessThan(slow.flops());
    }

    /** A vanilla transformer over 11 tokens and 16 positions with random weights. */
    static Model vanilla(long seed) {
        return SamplerConformance.engineModel(new VanillaArchitecture(), TINY, 11, 16, seed);
    }

    /** Prompts of 1 to 9 tokens: the longer ones reach the model's maximum length of 16 before 20 new tokens. */
    static DecodeRequest prompts(int maxNewTokens) {
        return new DecodeRequest(List.of(new int[] {1}, new int[] {5, 6, 1}, new int[] {3, 4, 5, 6, 7, 8, 9, 10, 1},
                new int[] {10, 9, 1}), maxNewTokens, STOP);
    }

    private static float[] logs(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }
}
