package org.recursa.plugins.universal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

class UniversalArchitectureTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "recursions", "3");
    private final UniversalArchitecture architecture = new UniversalArchitecture();

    @Test
    void conformsWithFixedDepth(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verify(architecture, TINY, scratch);
    }

    @Test
    void conformsWithAdaptiveComputationTime(@TempDir Path scratch) throws Exception {
        // A low halting bias makes positions halt at different steps, so remainders and weights all matter.
        var settings = new java.util.HashMap<>(TINY);
        settings.putAll(Map.of("act", "true", "halting_bias", "-0.5", "ponder_weight", "0.1"));
        ArchitectureConformance.verify(architecture, settings, scratch);
    }

    @Test
    void sharesOneBlockAcrossSteps() {
        ModelInfo info = ArchitectureConformance.build(architecture, architecture.schema().resolve(TINY), 1).info();
        assertThat(info.uniqueLayers()).isEqualTo(1);
        assertThat(info.effectiveLayers()).isEqualTo(3);
    }

    @Test
    void actReportsPerTokenDepthAndAPonderLoss() {
        var config = architecture.schema().resolve(Map.of("d_model", "8", "heads", "2", "ffn", "12",
                "recursions", "6", "act", "true", "halting_bias", "0.0", "act_depth", "steps"));
        TrainableModel model = ArchitectureConformance.build(architecture, config, 1);
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6}, {3, 4}}, 0);
        Forward forward = model.forward(Tape.inference(), batch);
        assertThat(forward.depth()).hasSize(8);
        // Real tokens run at least one step and at most the maximum; padding never runs.
        for (int i : new int[] {0, 1, 2, 3, 4, 5}) {
            assertThat(forward.depth()[i]).isBetween(1.0, 6.0);
        }
        assertThat(forward.depth()[6]).isZero();
        assertThat(forward.depth()[7]).isZero();
        // sigmoid(0) = 0.5 per step: the sum passes 0.99 after two steps of 0.5, so every position halts at step 2.
        assertThat(forward.stats()).containsEntry("mean_depth", 2.0);
        assertThat(forward.auxLosses()).singleElement().satisfies(loss -> {
            assertThat(loss.name()).isEqualTo("ponder");
            assertThat(loss.value().value().getDouble(0)).isPositive();
        });
    }

    @Test
    void actRecordsPonderTimeByDefaultTheQuantityItsLossPenalises() {
        var config = architecture.schema().resolve(Map.of("d_model", "8", "heads", "2", "ffn", "12",
                "recursions", "6", "act", "true", "halting_bias", "0.0", "ponder_weight", "0.5"));
        TrainableModel model = ArchitectureConformance.build(architecture, config, 1);
        Forward forward = model.forward(Tape.inference(), TokenBatch.of(new int[][] {{3, 4, 5, 6}, {3, 4}}, 0));
        double sum = 0;
        for (int i : new int[] {0, 1, 2, 3, 4, 5}) {
            // two steps of p ~ 0.5 each: N = 2 and the remainder R = 1 - p_1 ~ 0.5
            assertThat(forward.depth()[i]).isStrictlyBetween(2.3, 2.7);
            sum += forward.depth()[i];
        }
        assertThat(forward.depth()[6]).as("padding").isZero();
        assertThat(forward.stats().get("mean_steps")).isEqualTo(2.0);
        assertThat(forward.stats().get("mean_ponder")).isCloseTo(sum / 6, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(forward.auxLosses().get(0).value().value().getDouble(0)).as("ponder loss = tau * mean(N + R)")
                .isCloseTo(0.5 * sum / 6, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void conformsWithTheStabilisersOfDeepLooping(@TempDir Path scratch) throws Exception {
        var settings = new java.util.HashMap<>(TINY);
        settings.putAll(Map.of("layer_scale", "0.1", "identity_gate", "true"));
        ArchitectureConformance.verify(architecture, settings, scratch);
    }

    @Test
    void layerScaleStartsTheBlockNearTheIdentityAndTheGateHoldsMostOfTheState() {
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6}}, 0);
        var plain = (org.recursa.engine.train.RecurrentModel) ArchitectureConformance.build(architecture,
                architecture.schema().resolve(TINY), 1);
        var settings = new java.util.HashMap<>(TINY);
        settings.put("layer_scale", "1e-4");
        var scaled = (org.recursa.engine.train.RecurrentModel) ArchitectureConformance.build(architecture,
                architecture.schema().resolve(settings), 1);
        // A step's block adds only gamma * f(x) to its input x = h + P + S_t: with gains of 1e-4 it is ~1e4 times
        // closer to the identity than the plain block.
        assertThat(blockUpdate(scaled, batch)).isLessThan(blockUpdate(plain, batch) / 1000);
        // float32 parameters
        assertThat(scaled.parameters().get("block.ls1").value().getDouble(0)).isEqualTo((double) 1e-4f);
        settings = new java.util.HashMap<>(TINY);
        settings.put("identity_gate", "true");
        var gated = ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
        assertThat(gated.parameters().get("gate").value().getDouble(0)).isEqualTo(-2.0);
    }

    /** The size of what the first step's block adds to its input: |h_1 - (embedded + P + S_1)|. */
    private static double blockUpdate(org.recursa.engine.train.RecurrentModel model, TokenBatch batch) {
        java.util.Map<String, float[][]> hidden = new java.util.HashMap<>();
        model.forward(Tape.inference(), batch, step -> hidden.put(step.name(), step.hidden()));
        int length = batch.length();
        var positions = model.parameters().get("embed.positions").value();
        var stepSignal = model.parameters().get("embed.steps").value().getRow(0);
        double sum = 0;
        for (int t = 0; t < length; t++) {
            for (int c = 0; c < hidden.get("embed")[t].length; c++) {
                double input = hidden.get("embed")[t][c] + positions.getDouble(t, c) + stepSignal.getDouble(c);
                double update = hidden.get("recursion.1")[t][c] - input;
                sum += update * update;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void runsDeeperThanTrainedWithTheLastStepEmbedding() {
        var model = (org.recursa.engine.train.RecurrentModel) ArchitectureConformance.build(architecture,
                architecture.schema().resolve(TINY), 1);
        assertThat(model.defaultDepth()).isEqualTo(3);
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6}}, 0);
        var supervision = new org.recursa.engine.train.Supervision(0.7, false);
        Forward deep = model.forward(Tape.inference(), batch,
                new org.recursa.engine.train.ForwardOptions(16, supervision, -1, null));
        assertThat(deep.supervised()).hasSize(16);
        assertThat(deep.supervised().get(15).logits()).isSameAs(deep.logits());
        assertThat(deep.supervised().get(3).weight()).isCloseTo(0.343, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(model.flopsPerToken(16)).isGreaterThan(model.flopsPerToken(3));
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture,
                Map.of(), Map.of("layer_scale", "1e-4", "identity_gate", "true"),
                Map.of("d_model", "16", "heads", "2", "ffn", "24", "recursions", "5", "act", "true"),
                Map.of("positions", "sinusoidal"), Map.of("positions", "none"));
    }

    @Test
    void conformsWithSinusoidalAndRotaryPositions(@TempDir Path scratch) throws Exception {
        for (String positions : new String[] {"sinusoidal", "rope"}) {
            ArchitectureConformance.verify(architecture, Map.of("d_model", "8", "heads", "2", "ffn", "12",
                    "recursions", "2", "positions", positions), scratch);
        }
    }
}
