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
        // One step against eight: with gains of 1e-4 the state barely moves per step, so depth changes little.
        double plainDrift = drift(plain, batch);
        double scaledDrift = drift(scaled, batch);
        assertThat(scaledDrift).isLessThan(plainDrift / 100);
        assertThat(scaled.parameters().get("block.ls1").value().getDouble(0)).isEqualTo(1e-4);
        settings = new java.util.HashMap<>(TINY);
        settings.put("identity_gate", "true");
        var gated = ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
        assertThat(gated.parameters().get("gate").value().getDouble(0)).isEqualTo(-2.0);
    }

    private static double drift(org.recursa.engine.train.RecurrentModel model, TokenBatch batch) {
        var one = model.forward(Tape.inference(), batch, org.recursa.engine.train.ForwardOptions.atDepth(1));
        var eight = model.forward(Tape.inference(), batch, org.recursa.engine.train.ForwardOptions.atDepth(8));
        return one.logits().value().sub(eight.logits().value()).norm2Number().doubleValue();
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
