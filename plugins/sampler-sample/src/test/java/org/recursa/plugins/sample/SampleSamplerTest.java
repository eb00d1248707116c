package org.recursa.plugins.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.SpecialTokens;
import org.recursa.api.model.Model;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.SamplerConformance;
import org.recursa.tck.TableModel;

class SampleSamplerTest {

    private static final int STOP = 2;
    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12", "layers", "2");
    /** After token 1: padding, separator, stop, 3, 4 and 5 with these probabilities (the logits are their logs). */
    private static final double[] FIRST = {0.005, 0.005, 0.04, 0.5, 0.3, 0.15};
    private static final int DRAWS = 4000;
    private final SampleSampler sampler = new SampleSampler();

    @Test
    void passesTheSamplerConformanceChecks() {
        SamplerConformance.verify(sampler, settings(Map.of()));
        SamplerConformance.verify(sampler, settings(Map.of("temperature", "0.7", "top_k", "3", "top_p", "0.9")));
        Model vanilla = vanilla(3);
        SamplerConformance.honoursUnsupportedReason(sampler, settings(Map.of()), vanilla);
    }

    @Test
    void theSameSeedGivesTheSameOutputAndOtherSeedsOtherOutputs() {
        Model vanilla = vanilla(4);
        Config config = settings(Map.of());
        SamplerConformance.isDeterministicForASeed(sampler, config, vanilla, prompts(12, 7));
        SamplerConformance.differentSeedsDiffer(sampler, config, vanilla, prompts(12, 0), 4);
        TableModel flat = TableModel.chain(12, 32, last -> -1);
        SamplerConformance.isDeterministicForASeed(sampler, config, flat, prompts(12, 7));
        SamplerConformance.differentSeedsDiffer(sampler, config, flat, prompts(12, 0), 4);
    }

    @Test
    void aRowsDrawsDoNotDependOnTheOtherRows() {
        Model vanilla = vanilla(6);
        Config config = settings(Map.of());
        Decoded alone = sampler.decode(vanilla, new DecodeRequest(List.of(new int[] {5, 6, 1}), 12, STOP, 9,
                SpecialTokens.STANDARD), config);
        Decoded withOthers = sampler.decode(vanilla, new DecodeRequest(List.of(new int[] {5, 6, 1}, new int[] {4, 1},
                new int[] {3, 3, 3, 1}), 12, STOP, 9, SpecialTokens.STANDARD), config);
        assertThat(withOthers.outputs().get(0)).isEqualTo(alone.outputs().get(0));
    }

    @Test
    void topKOfOneIsGreedy() {
        Config topOne = settings(Map.of("top_k", "1"));
        for (long seed : new long[] {1, 3, 5}) {
            SamplerConformance.agreesWithGreedy(sampler, topOne, vanilla(seed), prompts(20, seed));
        }
        SamplerConformance.agreesWithGreedy(sampler, topOne, firstTokenModel(), draws(1, 2, 3));
    }

    @Test
    void aVerySmallTemperatureIsGreedy() {
        Config cold = settings(Map.of("temperature", "1e-6"));
        for (long seed : new long[] {1, 3, 5}) {
            SamplerConformance.agreesWithGreedy(sampler, cold, vanilla(seed), prompts(20, seed));
        }
    }

    @Test
    void drawsTokensInProportionToTheirProbabilityWithoutPadding() {
        double[] frequencies = firstTokens(Map.of());
        double rest = 1 - FIRST[0];                 // padding is never drawn: the others share its probability
        assertThat(frequencies[0]).isZero();
        for (int token = 1; token < FIRST.length; token++) {
            assertThat(frequencies[token]).as("token " + token).isCloseTo(FIRST[token] / rest, within(0.03));
        }
    }

    @Test
    void theTemperatureRaisesProbabilitiesToThePowerOneOverT() {
        double[] frequencies = firstTokens(Map.of("temperature", "2"));
        double sum = 0;
        for (int token = 1; token < FIRST.length; token++) {
            sum += Math.sqrt(FIRST[token]);
        }
        for (int token = 1; token < FIRST.length; token++) {
            assertThat(frequencies[token]).as("token " + token).isCloseTo(Math.sqrt(FIRST[token]) / sum,
                    within(0.03));
        }
    }

    @Test
    void topKKeepsTheKMostLikelyTokens() {
        double[] frequencies = firstTokens(Map.of("top_k", "2"));
        assertThat(frequencies[3]).isCloseTo(0.5 / 0.8, within(0.03));
        assertThat(frequencies[4]).isCloseTo(0.3 / 0.8, within(0.03));
        assertThat(frequencies[3] + frequencies[4]).isEqualTo(1.0, within(1e-12));
    }

    @Test
    void topPKeepsTheFewestMostLikelyTokensThatReachP() {
        // without padding: 3 holds 0.5025, 3 and 4 together 0.804, and 3, 4 and 5 0.955
        double[] two = firstTokens(Map.of("top_p", "0.7"));
        assertThat(two[3]).isCloseTo(0.5 / 0.8, within(0.03));
        assertThat(two[3] + two[4]).isEqualTo(1.0, within(1e-12));
        double[] one = firstTokens(Map.of("top_p", "0.4"));
        assertThat(one[3]).isEqualTo(1.0);
        double[] three = firstTokens(Map.of("top_p", "0.9"));
        assertThat(three[3] + three[4] + three[5]).isEqualTo(1.0, within(1e-12));
        assertThat(three[5]).isCloseTo(0.15 / 0.95, within(0.03));
    }

    @Test
    void reportsTheLogProbabilityUnderTheUnmodifiedDistribution() {
        // After 3 the model stops with probability 0.7: "3, stop" has log-probability log 0.5 + log 0.7 whatever
        // the temperature or truncation that drew it.
        for (Map<String, String> overrides : List.of(Map.of("top_k", "1"), Map.of("temperature", "3", "top_k", "1"),
                Map.of("top_p", "0.4"))) {
            Decoded decoded = sampler.decode(firstTokenModel(), draws(1, 2, 5), settings(overrides));
            assertThat(decoded.outputs()).as(overrides.toString()).containsExactly(new int[] {3});
            assertThat(decoded.logProbabilities()[0]).as(overrides.toString())
                    .isCloseTo(Math.log(0.5) + Math.log(0.7), within(1e-6));
            assertThat(decoded.nBest().get(0).get(0).logProbability()).isEqualTo(decoded.logProbabilities()[0]);
        }
    }

    @Test
    void countsCallsAndFlopsOfItsSession() {
        TableModel model = TableModel.chain(12, 64, last -> last >= 6 ? STOP : last + 1);
        Decoded decoded = sampler.decode(model, new DecodeRequest(List.of(new int[] {3}), 10, STOP),
                settings(Map.of()));
        assertThat(decoded.outputs()).containsExactly(new int[] {4, 5, 6});
        assertThat(decoded.modelCalls()).isEqualTo(4).isEqualTo((long) model.calls());
        assertThat(decoded.generatedTokens()).isEqualTo(4);
        assertThat(decoded.flops()).isEqualTo(TableModel.FLOPS_PER_TOKEN * (1 + 2 + 3 + 4));
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedInOneLine() {
        assertRefused("top_p", "0", "setting 'top_p' must be a number in [1.0E-6, 1.0], got '0'");
        assertRefused("top_p", "1.5", "setting 'top_p' must be a number in [1.0E-6, 1.0], got '1.5'");
        assertRefused("temperature", "0", "setting 'temperature' must be a number in [1.0E-6, 1000.0], got '0'");
        assertRefused("temperature", "-1", "setting 'temperature' must be a number in [1.0E-6, 1000.0], got '-1'");
        assertRefused("top_k", "-1", "setting 'top_k' must be an integer in [0, 1000000], got '-1'");
    }

    private void assertRefused(String key, String value, String message) {
        assertThatThrownBy(() -> sampler.schema().resolve(Map.of(key, value)))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    /** How often each token comes first in {@link #DRAWS} rows drawn after token 1 (the stop token as 2). */
    private double[] firstTokens(Map<String, String> overrides) {
        Decoded decoded = sampler.decode(firstTokenModel(), draws(DRAWS, 1, 17), settings(overrides));
        int[] counts = new int[FIRST.length];
        for (int[] output : decoded.outputs()) {
            counts[output.length == 0 ? STOP : output[0]]++;
        }
        return java.util.Arrays.stream(counts).mapToDouble(c -> (double) c / DRAWS).toArray();
    }

    /** After 1: {@link #FIRST}; after 3, 4 or 5: stop (0.7) or 3 (0.3). */
    private static TableModel firstTokenModel() {
        float[][] table = new float[FIRST.length][FIRST.length];
        for (int token = 0; token < FIRST.length; token++) {
            table[1][token] = (float) Math.log(FIRST[token]);
            for (int last : new int[] {3, 4, 5}) {
                table[last][token] = (float) Math.log(token == STOP ? 0.7 : token == 3 ? 0.3 : 1e-9);
            }
        }
        return TableModel.of(table, 8);
    }

    private static DecodeRequest draws(int rows, int maxNewTokens, long seed) {
        List<int[]> prompts = new ArrayList<>(Collections.nCopies(rows, new int[] {1}));
        return new DecodeRequest(prompts, maxNewTokens, STOP, seed, SpecialTokens.STANDARD);
    }

    private Config settings(Map<String, String> overrides) {
        return sampler.schema().resolve(overrides);
    }

    private static Model vanilla(long seed) {
        return SamplerConformance.engineModel(new VanillaArchitecture(), TINY, 11, 16, seed);
    }

    private static DecodeRequest prompts(int maxNewTokens, long seed) {
        return new DecodeRequest(List.of(new int[] {1}, new int[] {5, 6, 1}, new int[] {3, 4, 5, 6, 7, 8, 9, 10, 1},
                new int[] {10, 9, 1}), maxNewTokens, STOP, seed, SpecialTokens.STANDARD);
    }
}
