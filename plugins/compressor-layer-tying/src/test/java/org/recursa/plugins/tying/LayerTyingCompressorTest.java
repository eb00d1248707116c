package org.recursa.plugins.tying;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.recursa.api.ConfigException;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.tck.CompressorConformance;

/** The conversion of a vanilla model into a relaxed one: conformance, refusals, selection, norms, full rank. */
class LayerTyingCompressorTest {

    private final Fixture fixture = new Fixture();

    @TempDir
    Path scratch;

    // One shared layer looped twice, and two cases, keep the target's double-precision gradient checks (minutes
    // with LoRAs) short; the fused LoRA's weights are checked by the tests below.
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "positions=sinusoidal; init=average,rank=2,lora_qkv=separate,norms_from=depth",
        "; init=stepwise,rank=0"})
    void conforms(String vanilla, String settings) throws Exception {
        ModelSnapshot source = fixture.vanilla(2, vanilla == null ? Map.of() : parse(vanilla));
        Compression result = CompressorConformance.verify(fixture.compressor, source, parse(settings),
                fixture.harness, scratch);
        assertThat(result.model().architecture()).isEqualTo("relaxed");
    }

    @Test
    void refusesAnotherArchitectureLoopsThatDoNotDivideAndARankAboveTheSmallestMap() {
        ModelSnapshot universal = fixture.harness.snapshot("universal", Map.of("d_model", "8", "heads", "2",
                "ffn", "12"), 3);
        CompressorConformance.refuses(fixture.compressor, universal, Map.of(), fixture.harness,
                "layer-tying converts a 'vanilla' model into a 'relaxed' one; this model is 'universal'");
        ModelSnapshot vanilla = fixture.vanilla(4);
        CompressorConformance.refuses(fixture.compressor, vanilla, Map.of("loops", "3"), fixture.harness,
                "loops=3 does not divide the model's 4 layers; choose loops among 1, 2, 4");
        String rank = "rank=9 is more than the full rank of the model's smallest linear map, min(d_model, ffn) = 8; "
                + "use rank <= 8";
        CompressorConformance.refuses(fixture.compressor, vanilla, Map.of("rank", "9"), fixture.harness, rank);
        // Called without asking first, compress says the same as a ConfigException.
        assertThatThrownBy(() -> fixture.compressor.compress(vanilla,
                fixture.compressor.schema().resolve(Map.of("rank", "9")), fixture.harness))
                .isInstanceOf(ConfigException.class).hasMessage(rank);
    }

    @ParameterizedTest
    @CsvSource({"stepwise, fused", "average, fused", "lower, fused", "stepwise, separate", "average, separate"})
    void fullRankWithEachDepthsOwnNormsReproducesTheVanillaModel(String init, String qkv) {
        // Only with each depth's own norms is the full-rank relaxation the vanilla model itself.
        ModelSnapshot vanilla = fixture.vanilla(4);
        Compression tied = fixture.tie(vanilla, Map.of("init", init, "lora_qkv", qkv, "rank", "8",
                "norms_from", "depth"));
        float[][] expected = fixture.logits(vanilla);
        float[][] actual = fixture.logits(tied.model());
        for (int row = 0; row < expected.length; row++) {
            for (int v = 0; v < expected[row].length; v++) {
                assertThat(actual[row][v]).as(init + ", " + qkv).isCloseTo(expected[row][v], within(1e-4f));
            }
        }
        assertThat(tied.report().measures().get("residual_energy_kept")).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void stepwiseRoundsHalvesToEvenAsNumpyOrUp() {
        // linspace(0, 5, 3) = 0, 2.5, 5: numpy's round gives layer 2 for the middle block, rounding up layer 3
        ModelSnapshot vanilla = fixture.vanilla(6);
        assertSharedLayersAre(fixture.tie(vanilla, Map.of("init", "stepwise", "loops", "2")), vanilla, 0, 2, 5);
        assertSharedLayersAre(fixture.tie(vanilla, Map.of("init", "stepwise", "loops", "2",
                "stepwise_round", "half-up")), vanilla, 0, 3, 5);
        assertThat(Selection.stepwise(1, 4, 2, true)).isEqualTo(3);
        assertThat(Selection.stepwise(2, 7, 4, true)).isEqualTo(4);             // 2 x 6 / 3 = 4 exactly
        assertThat(Selection.stepwise(0, 5, 1, true)).isZero();                  // linspace(0, 4, 1) = [0]
    }

    @Test
    void lowerTakesTheFirstLayers() {
        ModelSnapshot vanilla = fixture.vanilla(6);
        assertSharedLayersAre(fixture.tie(vanilla, Map.of("init", "lower", "loops", "3")), vanilla, 0, 1);
        assertSharedLayersAre(fixture.tie(vanilla, Map.of("init", "lower", "loops", "2")), vanilla, 0, 1, 2);
    }

    @Test
    void averageIsTheMeanOfTheTiedLayers() {
        // B = 2 of L = 6: shared layer 1 runs at depths 1, 3 and 5
        ModelSnapshot vanilla = fixture.vanilla(6);
        ModelSnapshot tied = fixture.tie(vanilla, Map.of("init", "average", "loops", "3")).model();
        for (String map : Tying.MAPS) {
            float[] shared = Fixture.values(tied, "block.1." + map + ".weight");
            for (int i = 0; i < shared.length; i++) {
                double mean = 0;
                for (int layer : new int[] {1, 3, 5}) {
                    mean += Fixture.values(vanilla, "block." + layer + "." + map + ".weight")[i] / 3.0;
                }
                assertThat((double) shared[i]).as(map).isCloseTo(mean, within(1e-6));
            }
        }
        // norms_from=source: a depth's norms are the mean of its shared layer's source layers' too
        float[] norm = Fixture.values(tied, "depth.3.ln1.weight");
        assertThat((double) norm[2]).isCloseTo((Fixture.values(vanilla, "block.1.ln1.weight")[2]
                + Fixture.values(vanilla, "block.3.ln1.weight")[2]
                + Fixture.values(vanilla, "block.5.ln1.weight")[2]) / 3.0, within(1e-6));
    }

    @Test
    void tiedDepthsTakeTheSourceLayersNormsOrTheirOwnAndAlwaysTheirOwnBiases() {
        ModelSnapshot vanilla = fixture.vanilla(4);
        // Stepwise, B = 2 of L = 4: shared layer 1 comes from vanilla layer 3; depths 1 and 3 are tied to it
        ModelSnapshot source = fixture.tie(vanilla, Map.of("init", "stepwise", "rank", "0")).model();
        for (int depth : new int[] {1, 3}) {
            assertThat(Fixture.values(source, "depth." + depth + ".ln2.weight"))
                    .isEqualTo(Fixture.values(vanilla, "block.3.ln2.weight"));
            assertThat(Fixture.values(source, "depth." + depth + ".mlp.up.bias"))
                    .isEqualTo(Fixture.values(vanilla, "block." + depth + ".mlp.up.bias"));
        }
        assertThat(Fixture.values(source, "depth.2.ln1.bias")).isEqualTo(Fixture.values(vanilla, "block.0.ln1.bias"));
        ModelSnapshot own = fixture.tie(vanilla, Map.of("init", "stepwise", "rank", "0", "norms_from", "depth"))
                .model();
        assertThat(Fixture.values(own, "depth.1.ln2.weight")).isEqualTo(Fixture.values(vanilla, "block.1.ln2.weight"));
        for (String name : new String[] {"embed.tokens", "embed.positions", "final_norm.weight", "head.weight"}) {
            assertThat(Fixture.values(own, name)).as(name).isEqualTo(Fixture.values(vanilla, name));
        }
    }

    @Test
    void rankZeroLeavesAPureRecursiveModelWithNoLora() {
        ModelSnapshot vanilla = fixture.vanilla(4);
        Compression tied = fixture.tie(vanilla, Map.of("rank", "0"));
        assertThat(tied.model().weights().tensors().keySet()).noneMatch(name -> name.contains("lora"));
        assertThat(tied.model().settings()).containsEntry("lora_rank", 0);
        assertThat(tied.report().measures()).containsEntry("residual_energy_kept", 0.0);
        assertThat(tied.report().parametersAfter()).isLessThan(tied.report().parametersBefore());
        assertThat(tied.report().summary()).isEqualTo("layer-tying: 4 vanilla layers tied into 2 shared x 2 loops "
                + "(average), no LoRA (a pure recursive model)");
    }

    @Test
    void theRelaxedModelKeepsTheVanillaSettingsAndReportsWhatTyingDid() {
        ModelSnapshot vanilla = fixture.vanilla(4, Map.of("dropout", "0.1"));
        Compression tied = fixture.tie(vanilla, Map.of("rank", "2", "lora_qkv", "separate"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("d_model", 8);
        expected.put("heads", 2);
        expected.put("ffn", 12);
        expected.put("positions", "learned");
        expected.put("shared_layers", 2);
        expected.put("loops", 2);
        expected.put("lora_rank", 2);
        expected.put("lora_qkv", "separate");
        expected.put("dropout", 0.1);
        assertThat(tied.model().settings()).containsExactlyEntriesOf(expected);
        Map<String, Double> measures = tied.report().measures();
        assertThat(measures).containsEntry("tied_layers", 4.0).containsEntry("shared_layers", 2.0)
                .containsEntry("loops", 2.0).containsEntry("lora_rank", 2.0);
        assertThat(measures.get("residual_energy_kept")).isStrictlyBetween(0.0, 1.0);
        assertThat(measures.get("relative_residual")).isStrictlyBetween(0.0, 2.0);
        assertThat(tied.report().summary()).startsWith("layer-tying: 4 vanilla layers tied into 2 shared x 2 loops "
                + "(average), a rank-2 LoRA per depth keeps ").endsWith("% of the residual energy");
        assertThat(fixture.compressor.schema().defaults().asMap()).containsEntry("loops", 2).containsEntry("rank", 8)
                .containsEntry("init", "average").containsEntry("norms_from", "source");
    }

    @Test
    void oneLoopTiesNothingAndReproducesTheVanillaModelAtAnyRank() {
        ModelSnapshot vanilla = fixture.vanilla(2);
        Compression tied = fixture.tie(vanilla, Map.of("loops", "1", "rank", "0", "norms_from", "depth"));
        assertThat(tied.report().measures()).containsEntry("residual_energy_kept", 1.0)
                .containsEntry("relative_residual", 0.0);
        float[][] expected = fixture.logits(vanilla);
        float[][] actual = fixture.logits(tied.model());
        for (int row = 0; row < expected.length; row++) {
            assertThat(actual[row]).containsExactly(expected[row], within(1e-6f));
        }
    }

    /** Shared layer b of {@code tied} holds vanilla layer {@code layers[b]}'s four matrices, exactly. */
    private static void assertSharedLayersAre(Compression tied, ModelSnapshot vanilla, int... layers) {
        assertThat(tied.model().settings()).containsEntry("shared_layers", layers.length);
        for (int b = 0; b < layers.length; b++) {
            for (String map : Tying.MAPS) {
                assertThat(Fixture.values(tied.model(), "block." + b + "." + map + ".weight")).as("shared " + b)
                        .isEqualTo(Fixture.values(vanilla, "block." + layers[b] + "." + map + ".weight"));
            }
        }
    }

    private static Map<String, String> parse(String settings) {
        Map<String, String> map = new HashMap<>();
        for (String pair : settings.split(",")) {
            String[] kv = pair.split("=", 2);
            map.put(kv[0].trim(), kv[1].trim());
        }
        return map;
    }
}
