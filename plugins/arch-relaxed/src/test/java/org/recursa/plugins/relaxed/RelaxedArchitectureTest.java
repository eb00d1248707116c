package org.recursa.plugins.relaxed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.Setting;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

class RelaxedArchitectureTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "shared_layers", "2", "loops", "2", "lora_rank", "2");
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
    void buildsAtRandomWithEveryLoraStartingAtZero() {
        // GPT-2 init for the shared matrices, LoRA A random and B zero: an untrained relaxation is the recursive model.
        TrainableModel model = build(TINY);
        for (int depth = 0; depth < 4; depth++) {
            for (String map : new String[] {"attn.qkv", "attn.proj", "mlp.up", "mlp.down"}) {
                String lora = "depth." + depth + "." + map + ".lora_";
                assertThat(model.parameters().get(lora + "b").value().amaxNumber().doubleValue()).as(lora + "b")
                        .isZero();
                assertThat(model.parameters().get(lora + "a").value().amaxNumber().doubleValue()).as(lora + "a")
                        .isPositive();
            }
        }
        assertThat(model.parameters().get("block.1.mlp.up.weight").value().amaxNumber().doubleValue()).isPositive();
        assertThat(architecture.schema().settings()).extracting(Setting::key)
                .doesNotContain("init", "init_from");
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
