package org.recursa.plugins.recurrentdepth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;

/** The number of recursions a training step draws, and the initial state it starts from. */
class RecurrentDepthSamplingTest {

    private static final TokenBatch BATCH = TokenBatch.of(new int[][] {{3, 4, 5}, {6, 3}}, 0);

    @Test
    void drawsAroundTheMeanAndVaries() {
        long seed = 20261129L;
        for (double mean : new double[] {4, 16}) {
            double sum = 0;
            double squares = 0;
            int n = 4000;
            Set<Integer> seen = new HashSet<>();
            for (int step = 0; step < n; step++) {
                int r = Draws.recurrence(mean, 0.5, 256, Draws.source(seed, step, Draws.RECURRENCE));
                assertThat(r).as("seed %d step %d", seed, step).isBetween(1, 256);
                sum += r;
                squares += (double) r * r;
                seen.add(r);
            }
            double average = sum / n;
            double variance = squares / n - average * average;
            // E[r] = mean up to the clamp at 1; Var[r] = mean + mean^2 (e^{sigma^2} - 1) (Poisson-log-normal)
            assertThat(average).as("mean r at mean %s, seed %d", mean, seed).isCloseTo(mean, within(0.06 * mean));
            double expected = mean + mean * mean * (Math.exp(0.25) - 1);
            assertThat(variance).as("variance").isCloseTo(expected, within(0.2 * expected));
            assertThat(seen.size()).as("distinct r").isGreaterThan(5);
        }
    }

    @Test
    void isClampedToOneAndTheMaximum() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            assertThat(Draws.recurrence(1, 2.5, 6, random)).isBetween(1, 6);
        }
        assertThat(Draws.poisson(1e9, 256, random)).isEqualTo(256);
    }

    @Test
    void theSameStepDrawsTheSameDepthInAFreshModel() {
        RecurrentModel first = model(Map.of());
        RecurrentModel resumed = model(Map.of());
        Set<Double> depths = new HashSet<>();
        for (int step = 0; step < 40; step++) {
            double r = depth(first, new ForwardOptions(0, null, step, null));
            assertThat(depth(first, new ForwardOptions(0, null, step, null))).isEqualTo(r);
            assertThat(depth(resumed, new ForwardOptions(0, null, step, null))).as("step %d", step).isEqualTo(r);
            depths.add(r);
        }
        assertThat(depths).as("r varies over steps").hasSizeGreaterThan(3);
    }

    @Test
    void theRequestedDepthIsTheMeanOfTheDraw() {
        RecurrentModel model = model(Map.of());
        double sum = 0;
        for (int step = 0; step < 300; step++) {
            sum += depth(model, new ForwardOptions(12, null, step, null));
        }
        assertThat(sum / 300).isCloseTo(12, within(1.5));
    }

    @Test
    void drawsNothingOutsideATrainingStepOrWhenSamplingIsOff() {
        RecurrentModel model = model(Map.of());
        assertThat(depth(model, new ForwardOptions(0, null, -1, null))).as("no step").isEqualTo(4.0);
        assertThat(model.forward(Tape.inference(), BATCH, new ForwardOptions(7, null, 3, null)).stats())
                .as("inference tape").containsEntry("recurrence", 7.0);
        RecurrentModel fixed = model(Map.of("sample_recurrence", "false"));
        for (int step = 0; step < 10; step++) {
            assertThat(depth(fixed, new ForwardOptions(0, null, step, null))).isEqualTo(4.0);
            assertThat(depth(fixed, new ForwardOptions(6, null, step, null))).isEqualTo(6.0);
        }
    }

    @Test
    void aTrainingStepStartsFromItsOwnStateAndInferenceFromAFixedOne() {
        RecurrentModel model = model(Map.of("sample_recurrence", "false"));
        var step3 = logits(model, Tape.training(), 3);
        assertThat(logits(model, Tape.training(), 3)).as("same step").isEqualTo(step3);
        assertThat(logits(model, Tape.training(), 4)).as("another step").isNotEqualTo(step3);
        assertThat(logits(model, Tape.inference(), -1)).isEqualTo(logits(model, Tape.inference(), -1));
    }

    @Test
    void theInitialStateIsATruncatedNormalOfTheDocumentedStd() {
        int width = 64;
        double std = Math.sqrt(2.0 / (5 * width));
        double[] values = Draws.state(400, width, std, new SplittableRandom(9),
                org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        double squares = 0;
        for (double v : values) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(3 * std);
            squares += v * v;
        }
        // a normal truncated at 3 std keeps 98.7% of its variance
        assertThat(Math.sqrt(squares / values.length)).isCloseTo(std * Math.sqrt(0.9866), within(0.01 * std));
    }

    private static double depth(RecurrentModel model, ForwardOptions options) {
        Forward forward = model.forward(Tape.training(), BATCH, options);
        return forward.stats().get("recurrence");
    }

    private static org.nd4j.linalg.api.ndarray.INDArray logits(RecurrentModel model, Tape tape, int step) {
        return model.forward(tape, BATCH, new ForwardOptions(0, null, step, null)).logits().value();
    }

    private static RecurrentModel model(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("d_model", "8", "heads", "2", "ffn", "12"));
        settings.putAll(overrides);
        return (RecurrentModel) RecurrentDepthArchitectureTest.build(settings);
    }
}
