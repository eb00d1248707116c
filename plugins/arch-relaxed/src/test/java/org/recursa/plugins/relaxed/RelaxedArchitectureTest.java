package org.recursa.plugins.relaxed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

class RelaxedArchitectureTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "shared_layers", "2", "loops", "2", "lora_rank", "2");
    private static final int[][] PROBE = {{3, 4, 5, 6, 1, 2}, {5, 3, 1}};
    private final RelaxedArchitecture architecture = new RelaxedArchitecture();

    @TempDir
    Path scratch;

    @Test
    void conformsWithLora() throws Exception {
        // One shared layer looped twice keeps the whole-model gradient check short; sharing is still exercised.
        ArchitectureConformance.verify(architecture, with(Map.of("shared_layers", "1")), scratch);
    }

    @Test
    void sharesMatricesAcrossTheCycleAndCountsLoraParameters() {
        ModelInfo pure = build(with(Map.of("lora_rank", "0"))).info();
        ModelInfo relaxed = build(with(Map.of("lora_rank", "2"))).info();
        assertThat(pure.uniqueLayers()).isEqualTo(2);
        assertThat(pure.effectiveLayers()).isEqualTo(4);
        // Per depth, rank 2: qkv 2*(8+24), proj 2*(8+8), up 2*(8+12), down 2*(12+8).
        assertThat(relaxed.parameters() - pure.parameters()).isEqualTo(4L * (64 + 32 + 40 + 40));
        assertThat(relaxed.flopsPerToken()).isGreaterThan(pure.flopsPerToken());
    }

    @Test
    void fullRankSvdInitialisationReproducesTheVanillaModel() throws Exception {
        Path checkpoint = vanillaCheckpoint(4);
        TrainableModel vanilla = vanillaFrom(checkpoint);
        for (String selection : new String[] {"stepwise", "average"}) {
            // each depth keeps its own layer's norms: only then is the full-rank relaxation the vanilla model
            TrainableModel relaxed = build(with(Map.of("lora_rank", "8", "init", selection,
                    "init_from", checkpoint.toString(), "norms_from", "depth")));
            float[][] expected = vanilla.nextTokenLogits(PROBE);
            float[][] actual = relaxed.nextTokenLogits(PROBE);
            for (int row = 0; row < PROBE.length; row++) {
                for (int v = 0; v < expected[row].length; v++) {
                    assertThat(actual[row][v]).as(selection).isCloseTo(expected[row][v], within(1e-4f));
                }
            }
        }
    }

    @Test
    void stepwiseRoundsHalvesToEvenAsNumpyAndTiedDepthsTakeTheSourceLayersNorms() throws Exception {
        // linspace(0, 5, 3) = 0, 2.5, 5: numpy's round gives layer 2 for the middle block, rounding up layer 3
        assertThat(VanillaInitializer.stepwise(1, 6, 3, true)).isEqualTo(2);
        assertThat(VanillaInitializer.stepwise(1, 6, 3, false)).isEqualTo(3);
        assertThat(VanillaInitializer.stepwise(1, 4, 2, true)).isEqualTo(3);
        assertThat(VanillaInitializer.stepwise(2, 7, 4, true)).isEqualTo(4);     // 2 x 6 / 3 = 4 exactly

        Path checkpoint = vanillaCheckpoint(4);
        TrainableModel vanilla = vanillaFrom(checkpoint);
        TrainableModel relaxed = build(with(Map.of("lora_rank", "0", "init", "stepwise",
                "init_from", checkpoint.toString())));                            // norms_from=source by default
        // B=2 of L=4: block 1 comes from vanilla layer 3; depths 1 and 3 are tied to it
        for (int depth : new int[] {1, 3}) {
            assertThat(relaxed.parameters().get("depth." + depth + ".ln2.weight").value())
                    .isEqualTo(vanilla.parameters().get("block.3.ln2.weight").value());
        }
        assertThat(relaxed.parameters().get("depth.2.ln1.bias").value())
                .isEqualTo(vanilla.parameters().get("block.0.ln1.bias").value());
    }

    @Test
    void lowRankIsTheBestApproximationAndSelectionsDiffer() throws Exception {
        Path checkpoint = vanillaCheckpoint(4);
        TrainableModel vanilla = vanillaFrom(checkpoint);
        TrainableModel stepwise = build(with(Map.of("lora_rank", "0", "init", "stepwise",
                "init_from", checkpoint.toString())));
        TrainableModel average = build(with(Map.of("lora_rank", "0", "init", "average",
                "init_from", checkpoint.toString())));
        // Stepwise with B=2 of L=4 takes vanilla layers 0 and 3 (round(linspace(0, 3, 2))).
        assertThat(stepwise.parameters().get("block.1.attn.qkv.weight").value())
                .isEqualTo(vanilla.parameters().get("block.3.attn.qkv.weight").value());
        var mean = vanilla.parameters().get("block.0.mlp.up.weight").value()
                .add(vanilla.parameters().get("block.2.mlp.up.weight").value()).divi(2);
        assertThat(average.parameters().get("block.0.mlp.up.weight").value().equalsWithEps(mean, 1e-6)).isTrue();

        var m = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 6, 5);
        var full = VanillaInitializer.truncatedSvd(m, 5);
        assertThat(full[0].mmul(full[1]).equalsWithEps(m, 1e-9)).isTrue();
        var rank2 = VanillaInitializer.truncatedSvd(m, 2);
        double error2 = m.sub(rank2[0].mmul(rank2[1])).norm2Number().doubleValue();
        var rank1 = VanillaInitializer.truncatedSvd(m, 1);
        assertThat(m.sub(rank1[0].mmul(rank1[1])).norm2Number().doubleValue()).isGreaterThan(error2);
    }

    @Test
    void aCheckpointOfAnotherShapeOrArchitectureIsAClearError() throws Exception {
        Path twoLayers = vanillaCheckpoint(2);
        assertThatThrownBy(() -> build(with(Map.of("init", "average", "init_from", twoLayers.toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("layers 2 (shared_layers x loops); this model needs")
                .hasMessageContaining("layers 4");
        assertThatThrownBy(() -> build(with(Map.of("init", "stepwise"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs setting 'init_from'");
        assertThatThrownBy(() -> build(with(Map.of("init", "stepwise", "init_from",
                scratch.resolve("missing.rckpt").toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no checkpoint file at");
        Path relaxedCheckpoint = scratch.resolve("relaxed.rckpt");
        Config config = architecture.schema().resolve(TINY);
        Checkpoint.save(relaxedCheckpoint, "relaxed", config.asMap(), ArchitectureConformance.VOCABULARY,
                ArchitectureConformance.MAX_LENGTH, build(TINY).parameters(), Map.of());
        assertThatThrownBy(() -> build(with(Map.of("init", "average", "init_from", relaxedCheckpoint.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is a 'relaxed' checkpoint");
    }

    private Path vanillaCheckpoint(int layers) throws Exception {
        return VanillaFixture.checkpoint(scratch, layers);
    }

    private TrainableModel vanillaFrom(Path checkpoint) throws Exception {
        return VanillaFixture.load(checkpoint);
    }

    private Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(overrides);
        return settings;
    }

    private TrainableModel build(Map<String, String> settings) {
        return ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture,
                Map.of(),
                Map.of("d_model", "16", "heads", "2", "ffn", "24", "shared_layers", "3", "loops", "2", "lora_rank", "0"),
                Map.of("d_model", "16", "heads", "4", "ffn", "20", "shared_layers", "1", "loops", "3", "lora_rank", "5"),
                Map.of("positions", "sinusoidal"));
    }
}
