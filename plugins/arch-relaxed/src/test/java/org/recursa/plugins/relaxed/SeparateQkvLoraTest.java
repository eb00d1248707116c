package org.recursa.plugins.relaxed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Parameter;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

/**
 * {@code lora_qkv=separate}: a LoRA per q, k and v projection, as the paper's models have them, on the engine's
 * packed q/k/v projection: conformance, and the parameters it creates and counts. Their SVD initialisation from a
 * vanilla model is the layer-tying compressor's, and tested there.
 */
class SeparateQkvLoraTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "shared_layers", "2", "loops", "2", "lora_rank", "2", "lora_qkv", "separate");
    private static final int WIDTH = 8;
    private final RelaxedArchitecture architecture = new RelaxedArchitecture();

    @TempDir
    Path scratch;

    @Test
    void conformsWithSeparateQkvLoras() throws Exception {
        ArchitectureConformance.verify(architecture, with(Map.of("shared_layers", "1")), scratch);
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture, TINY,
                with(Map.of("d_model", "16", "heads", "4", "ffn", "20", "shared_layers", "1", "loops", "3",
                        "lora_rank", "5")),
                with(Map.of("lora_rank", "100")),                                  // capped at C per slice
                with(Map.of("lora_rank", "0")));
        // Per depth the q/k/v LoRA is 3 r (C + C) instead of r (C + 3C): 2 r C more, at r = 2 and C = 8.
        ModelSpec spec = new ModelSpec(ArchitectureConformance.VOCABULARY, ArchitectureConformance.MAX_LENGTH, 1);
        long separate = architecture.parameterCount(spec, architecture.schema().resolve(TINY)).getAsLong();
        long fused = architecture.parameterCount(spec, architecture.schema().resolve(with(Map.of("lora_qkv",
                "fused")))).getAsLong();
        assertThat(separate - fused).isEqualTo(4L * 2 * 2 * WIDTH);
        assertThat(build(TINY).info().flopsPerToken()).as("every factor is one multiply-add per token")
                .isEqualTo(build(with(Map.of("lora_qkv", "fused"))).info().flopsPerToken() + 2 * (separate - fused));
    }

    @Test
    void namesTheThreeLorasOfEachDepthAndKeepsTheFusedNames() {
        List<String> separate = names(build(TINY), "depth.1.attn.qkv.");
        assertThat(separate).containsExactly("depth.1.attn.qkv.bias", "depth.1.attn.qkv.q.lora_a",
                "depth.1.attn.qkv.q.lora_b", "depth.1.attn.qkv.k.lora_a", "depth.1.attn.qkv.k.lora_b",
                "depth.1.attn.qkv.v.lora_a", "depth.1.attn.qkv.v.lora_b");
        assertThat(build(TINY).parameters().get("depth.1.attn.qkv.v.lora_b").shape()).containsExactly(WIDTH, 2);
        assertThat(names(build(with(Map.of("lora_qkv", "fused"))), "depth.1.attn.qkv."))
                .containsExactly("depth.1.attn.qkv.bias", "depth.1.attn.qkv.lora_a", "depth.1.attn.qkv.lora_b");
        assertThat(architecture.schema().defaults().getString("lora_qkv")).isEqualTo("fused");
    }

    private static List<String> names(TrainableModel model, String prefix) {
        return model.parameters().all().stream().map(Parameter::name).filter(n -> n.startsWith(prefix)).toList();
    }

    private Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(overrides);
        return settings;
    }

    private TrainableModel build(Map<String, String> settings) {
        return ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
    }
}
