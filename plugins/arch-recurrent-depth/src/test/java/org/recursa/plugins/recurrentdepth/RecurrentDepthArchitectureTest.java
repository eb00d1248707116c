package org.recursa.plugins.recurrentdepth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

class RecurrentDepthArchitectureTest {

    /**
     * A tiny model that back-propagates through every recursion of the TCK's passes: a truncated gradient is by
     * design not the derivative of the loss, so the TCK's finite-difference check applies only without truncation
     * (RecurrentDepthTruncationTest covers truncation). One recurrent layer looped twice keeps the TCK's
     * whole-model gradient check (two passes per sampled weight) affordable.
     */
    static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "recurrent_layers", "1", "mean_recurrence", "2", "backprop_depth", "2");
    private static final TokenBatch BATCH = TokenBatch.of(new int[][] {{3, 4, 5, 6}, {3, 4}}, 0);

    private final RecurrentDepthArchitecture architecture = new RecurrentDepthArchitecture();

    @Test
    void conformsWithARandomInitialState(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verify(architecture, TINY, scratch);
    }

    @Test
    void conformsWithAZeroInitialStateAndDeeperPreludeAndCoda(@TempDir Path scratch) throws Exception {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(Map.of("init_state", "zeros", "prelude_layers", "2", "coda_layers", "0",
                "recurrent_layers", "2"));
        ArchitectureConformance.verify(architecture, settings, scratch);
    }

    @Test
    void conformsWithRotaryPositionsAndTheStabilisersOfDeepLooping(@TempDir Path scratch) throws Exception {
        // Sinusoidal positions enter only through the embeddings, which every other test covers.
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(Map.of("positions", "rope", "layer_scale", "0.1", "identity_gate", "true"));
        ArchitectureConformance.verify(architecture, settings, scratch);
    }

    @Test
    void aLoadedCheckpointDecodesAsTheSavedModelWithARandomInitialState() {
        TrainableModel saved = build(TINY);
        TrainableModel other = ArchitectureConformance.build(architecture, architecture.schema().resolve(TINY), 9);
        other.parameters().assign(saved.weights());
        int[][] probe = {{3, 4, 5}};
        assertThat(other.nextTokenLogits(probe)[0]).as("s_0 outside training does not depend on the model's seed")
                .isEqualTo(saved.nextTokenLogits(probe)[0]);
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture, Map.of(),
                Map.of("d_model", "16", "heads", "2", "ffn", "24", "prelude_layers", "0", "coda_layers", "3"),
                Map.of("positions", "sinusoidal"), Map.of("positions", "none", "recurrent_layers", "4"),
                Map.of("layer_scale", "1e-4", "identity_gate", "true", "recurrent_layers", "3"));
    }

    @Test
    void reportsDistinctAndAppliedLayersAndFlopsByDepth() {
        TrainableModel model = build(TINY);
        ModelInfo info = model.info();
        assertThat(info.uniqueLayers()).isEqualTo(3);                      // prelude 1 + recurrent 1 + coda 1
        assertThat(info.effectiveLayers()).isEqualTo(1 + 2 + 1);
        RecurrentModel recurrent = (RecurrentModel) model;
        assertThat(recurrent.defaultDepth()).isEqualTo(2);
        assertThat(recurrent.maxDepth()).isEqualTo(256);
        long step = recurrent.flopsPerToken(3) - recurrent.flopsPerToken(2);
        assertThat(step).isPositive();
        assertThat(recurrent.flopsPerToken(8) - recurrent.flopsPerToken(4)).isEqualTo(4 * step);
        assertThat(recurrent.atDepth(8).info().flopsPerToken()).isEqualTo(recurrent.flopsPerToken(8));
        assertThat(info.flopsPerToken()).isEqualTo(recurrent.flopsPerToken(2));
    }

    @Test
    void runsAtTheRequestedDepthAndDecodesDeeperThanTrained() {
        RecurrentModel model = (RecurrentModel) build(TINY);
        Forward four = model.forward(Tape.inference(), BATCH, ForwardOptions.atDepth(4));
        Forward eight = model.forward(Tape.inference(), BATCH, ForwardOptions.atDepth(8));
        assertThat(four.stats()).containsEntry("recurrence", 4.0);
        assertThat(eight.stats()).containsEntry("recurrence", 8.0);
        assertThat(eight.depth()).containsExactly(8, 8, 8, 8, 8, 8, 0, 0);
        assertThat(eight.logits().value()).isNotEqualTo(four.logits().value());
        float[][] next = model.atDepth(8).nextTokenLogits(new int[][] {{3, 4, 5}, {6}});
        assertThat(next).hasNumberOfRows(2);
        assertThat(next[0]).hasSize(ArchitectureConformance.VOCABULARY).doesNotContain(Float.NaN);
        assertThat(next[0]).isEqualTo(eight.logits().value().getRow(2).toFloatVector());
        assertThatThrownBy(() -> model.atDepth(257)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inferenceIsDeterministicWithARandomInitialState() {
        TrainableModel model = build(TINY);
        Forward a = model.forward(Tape.inference(), BATCH);
        Forward b = model.forward(Tape.inference(), BATCH);
        assertThat(a.logits().value()).isEqualTo(b.logits().value());
        Map<String, String> zeros = new HashMap<>(TINY);
        zeros.put("init_state", "zeros");
        assertThat(build(zeros).forward(Tape.inference(), BATCH).logits().value())
                .as("the drawn state reaches the output").isNotEqualTo(a.logits().value());
    }

    @Test
    void mirrorsPyTorchOnlyWhereTheMirrorComputesTheSame() {
        assertThat(architecture.pytorchMirror(architecture.schema().resolve(TINY))).as("random s_0").isEmpty();
        Map<String, String> zeros = new HashMap<>(TINY);
        zeros.put("init_state", "zeros");
        assertThat(architecture.pytorchMirror(architecture.schema().resolve(zeros))).hasValueSatisfying(mirror ->
                assertThat(mirror).containsEntry("arch", "recurrent-depth").containsEntry("recurrence", 2)
                        .containsEntry("backprop_depth", 2).containsEntry("recurrent_layers", 1));
        zeros.put("dropout", "0.1");
        assertThat(architecture.pytorchMirror(architecture.schema().resolve(zeros))).as("dropout").isEmpty();
    }

    static TrainableModel build(Map<String, String> settings) {
        RecurrentDepthArchitecture architecture = new RecurrentDepthArchitecture();
        return ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
    }
}
