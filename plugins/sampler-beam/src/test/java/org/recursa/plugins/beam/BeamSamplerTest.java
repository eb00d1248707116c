package org.recursa.plugins.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Hypothesis;
import org.recursa.api.model.Model;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.SamplerConformance;
import org.recursa.tck.TableModel;

class BeamSamplerTest {

    private static final int STOP = 2;
    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12", "layers", "2");
    private final BeamSampler sampler = new BeamSampler();

    @Test
    void passesTheSamplerConformanceChecks() {
        SamplerConformance.verify(sampler, settings(Map.of()));
        SamplerConformance.verify(sampler, settings(Map.of("width", "1")));
        SamplerConformance.verify(sampler, settings(Map.of("width", "3", "n_best", "3", "length_penalty", "0")));
        Model vanilla = vanilla(3);
        SamplerConformance.honoursUnsupportedReason(sampler, settings(Map.of()), vanilla);
        SamplerConformance.isDeterministicForASeed(sampler, settings(Map.of("n_best", "4")), vanilla, prompts(12));
    }

    @Test
    void aBeamOfWidthOneIsGreedy() {
        for (String alpha : new String[] {"0", "1", "2.5"}) {
            Config one = settings(Map.of("width", "1", "length_penalty", alpha));
            for (long seed : new long[] {1, 3, 5}) {
                SamplerConformance.agreesWithGreedy(sampler, one, vanilla(seed), prompts(20));
            }
            TableModel table = detour();
            DecodeRequest request = new DecodeRequest(List.of(new int[] {1}, new int[] {1, 5}, new int[] {1, 4}), 6,
                    STOP);
            Decoded greedy = SamplerConformance.greedy(table, request);
            Decoded beam = sampler.decode(table, request, one);
            assertThat(beam.outputs()).containsExactlyElementsOf(greedy.outputs());
            assertThat(beam.logProbabilities()).containsExactly(greedy.logProbabilities());
            assertThat(beam.modelCalls()).isEqualTo(greedy.modelCalls());
        }
    }

    @Test
    void aWiderBeamFindsTheMoreLikelyOutputGreedyMisses() {
        // greedy takes 4 (0.5), then 6 (0.25), then stops (0.9): 0.1125; the beam finds 5 (0.4), stop (0.9): 0.36
        TableModel model = detour();
        DecodeRequest request = new DecodeRequest(List.of(new int[] {1}), 6, STOP);
        Decoded greedy = SamplerConformance.greedy(model, request);
        assertThat(greedy.outputs()).containsExactly(new int[] {4, 6});
        for (String alpha : new String[] {"0", "1"}) {
            Decoded beam = sampler.decode(model, request,
                    settings(Map.of("width", "2", "n_best", "2", "length_penalty", alpha)));
            assertThat(beam.outputs()).as("alpha " + alpha).containsExactly(new int[] {5});
            assertThat(beam.logProbabilities()[0]).isCloseTo(Math.log(0.36), within(1e-6))
                    .isGreaterThan(greedy.logProbabilities()[0]);
            List<Hypothesis> nBest = beam.nBest().get(0);
            assertThat(nBest).extracting(h -> Arrays.toString(h.tokens())).containsExactly("[5]", "[4, 6]");
            double a = Double.parseDouble(alpha);
            assertThat(nBest.get(0).score()).isCloseTo(Math.log(0.36) / Math.pow(2, a), within(1e-6));
            assertThat(nBest.get(1).logProbability()).isCloseTo(Math.log(0.1125), within(1e-6));
            assertThat(nBest.get(1).score()).isCloseTo(Math.log(0.1125) / Math.pow(3, a), within(1e-6));
            // "5, stop" finished at the second step and was kept while "4, 6" took a third
            assertThat(beam.modelCalls()).isEqualTo(3);
            assertThat(beam.generatedTokens()).as("the output and its stop token").isEqualTo(2);
        }
    }

    @Test
    void theLengthPenaltyTradesLogProbabilityForLength() {
        // after 1: stop (0.3) or 3 (0.6); after 3: stop (0.4). log 0.3 = -1.20 beats log 0.24 = -1.43, but per token
        // -1.43 / 2 = -0.71 beats -1.20 / 1
        float[][] table = new float[5][];
        table[0] = logs(0.2, 0.2, 0.2, 0.2, 0.2);
        table[1] = logs(0.025, 0.025, 0.3, 0.6, 0.05);
        table[2] = logs(0.2, 0.2, 0.2, 0.2, 0.2);
        table[3] = logs(0.1, 0.1, 0.4, 0.2, 0.2);
        table[4] = logs(0.025, 0.025, 0.9, 0.025, 0.025);
        TableModel model = TableModel.of(table, 16);
        DecodeRequest request = new DecodeRequest(List.of(new int[] {1}), 4, STOP);
        Decoded plain = sampler.decode(model, request, settings(Map.of("width", "3", "length_penalty", "0")));
        assertThat(plain.outputs()).containsExactly(new int[0]);
        assertThat(plain.logProbabilities()[0]).isCloseTo(Math.log(0.3), within(1e-6));
        Decoded penalised = sampler.decode(model, request, settings(Map.of("width", "3", "length_penalty", "1")));
        assertThat(penalised.outputs()).containsExactly(new int[] {3});
        assertThat(penalised.logProbabilities()[0]).isCloseTo(Math.log(0.24), within(1e-6));
    }

    @Test
    void nBestListsHoldDistinctHypothesesScoredByTheirLengthPenalisedLogProbability() {
        double alpha = 0.6;
        Config config = settings(Map.of("width", "4", "n_best", "4", "length_penalty", Double.toString(alpha)));
        for (long seed : new long[] {1, 3, 5}) {
            Model model = vanilla(seed);
            DecodeRequest request = prompts(6);
            Decoded decoded = SamplerConformance.decode(sampler, config, model, request);
            for (int row = 0; row < request.prompts().size(); row++) {
                List<Hypothesis> nBest = decoded.nBest().get(row);
                assertThat(nBest).hasSize(4);
                assertThat(nBest).extracting(h -> Arrays.toString(h.tokens())).doesNotHaveDuplicates();
                for (int i = 0; i < nBest.size(); i++) {
                    Hypothesis h = nBest.get(i);
                    if (i > 0) {
                        assertThat(h.score()).isLessThanOrEqualTo(nBest.get(i - 1).score());
                    }
                    int[] prompt = request.prompts().get(row);
                    double open = logProbability(model, prompt, h.tokens());
                    double stopped = open + stopLogProbability(model, prompt, h.tokens());
                    boolean endedWithStop = Math.abs(h.logProbability() - stopped) < 1e-4;
                    assertThat(endedWithStop || Math.abs(h.logProbability() - open) < 1e-4)
                            .as("seed %d row %d: %s has the model's log-probability", seed, row, h).isTrue();
                    int length = h.tokens().length + (endedWithStop ? 1 : 0);
                    assertThat(h.score()).isCloseTo(h.logProbability() / Math.pow(length, alpha), within(1e-9));
                }
                assertThat(decoded.logProbabilities()[row]).isEqualTo(nBest.get(0).logProbability());
            }
        }
    }

    @Test
    void nBestIsCutToTheSettingAndTheBeamsSize() {
        Model model = vanilla(3);
        Decoded two = sampler.decode(model, prompts(6), settings(Map.of("width", "4", "n_best", "2")));
        assertThat(two.nBest()).allSatisfy(list -> assertThat(list).hasSize(2));
        // three tokens besides padding cannot fill a beam of 5; the row reports the three hypotheses it has, equal
        // in score and so ordered by token (the empty one ended with the stop token, 2)
        TableModel small = TableModel.chain(4, 8, last -> -1);
        Decoded wide = sampler.decode(small, new DecodeRequest(List.of(new int[] {3}), 1, STOP),
                settings(Map.of("width", "5", "n_best", "5")));
        assertThat(wide.nBest().get(0)).extracting(h -> Arrays.toString(h.tokens()))
                .containsExactly("[1]", "[]", "[3]");
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedInOneLine() {
        assertThatThrownBy(() -> settings(Map.of("width", "0"))).isInstanceOf(ConfigException.class)
                .hasMessage("setting 'width' must be an integer in [1, 1024], got '0'");
        assertThatThrownBy(() -> settings(Map.of("length_penalty", "-1"))).isInstanceOf(ConfigException.class)
                .hasMessage("setting 'length_penalty' must be a number in [0.0, 10.0], got '-1'");
        assertThatThrownBy(() -> settings(Map.of("n_best", "0"))).isInstanceOf(ConfigException.class)
                .hasMessage("setting 'n_best' must be an integer in [1, 1024], got '0'");
        Config tooMany = settings(Map.of("width", "2", "n_best", "3"));
        TableModel model = TableModel.chain(6, 8, last -> 3);
        assertThatThrownBy(() -> sampler.decode(model, new DecodeRequest(List.of(new int[] {1}), 2, STOP), tooMany))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'n_best' must be an integer in [1, 2] (at most width), got '3'");
        assertThat(model.calls()).isZero();
    }

    /**
     * After 1: 4 (0.5) or 5 (0.4); after 4 the model hesitates (6 and 7 at 0.25, then 3 and stop at 0.2); after 3,
     * 5, 6 or 7 it stops (0.9). Greedy's 4, 6, stop (0.1125) is less likely than 5, stop (0.36).
     */
    private static TableModel detour() {
        float[][] table = new float[8][];
        table[0] = logs(0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125);
        table[1] = logs(0.01, 0.01, 0.04, 0.02, 0.5, 0.4, 0.01, 0.01);
        table[2] = table[0];
        table[4] = logs(0.01, 0.01, 0.2, 0.2, 0.04, 0.04, 0.25, 0.25);
        for (int last : new int[] {3, 5, 6, 7}) {
            table[last] = logs(0.01, 0.01, 0.9, 0.02, 0.02, 0.02, 0.01, 0.01);
        }
        return TableModel.of(table, 16);
    }

    /** The model's log-probability of {@code tokens} after {@code prompt}, from whole-sequence logits. */
    private static double logProbability(Model model, int[] prompt, int[] tokens) {
        double sum = 0;
        for (int i = 0; i < tokens.length; i++) {
            sum += logSoftmax(model, concat(prompt, Arrays.copyOf(tokens, i)), tokens[i]);
        }
        return sum;
    }

    private static double stopLogProbability(Model model, int[] prompt, int[] tokens) {
        int[] sequence = concat(prompt, tokens);
        return sequence.length < model.info().maxLength() ? logSoftmax(model, sequence, STOP) : Double.NaN;
    }

    private static double logSoftmax(Model model, int[] sequence, int token) {
        float[] logits = model.nextTokenLogits(new int[][] {sequence})[0];
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit);
        }
        return logits[token] - Math.log(sum);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static float[] logs(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private Config settings(Map<String, String> overrides) {
        return sampler.schema().resolve(new HashMap<>(overrides));
    }

    private static Model vanilla(long seed) {
        return SamplerConformance.engineModel(new VanillaArchitecture(), TINY, 11, 16, seed);
    }

    private static DecodeRequest prompts(int maxNewTokens) {
        return new DecodeRequest(List.of(new int[] {1}, new int[] {5, 6, 1}, new int[] {3, 4, 5, 6, 7, 8, 9, 10, 1},
                new int[] {10, 9, 1}), maxNewTokens, STOP);
    }
}
