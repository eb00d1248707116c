package org.recursa.plugins.relaxed;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.DecoderModel;
import org.recursa.engine.nn.PositionEncoding;
import org.recursa.engine.nn.QkvLora;
import org.recursa.engine.nn.TransformerSettings;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/**
 * The Relaxed Recursive Transformer: CYCLE-shared layers with a LoRA per depth. {@link #build} initialises it at
 * random (GPT-2 init, LoRA A random and B zero); the paper's conversion of a trained vanilla model (Stepwise or Average
 * shared layers, SVD-initialised LoRAs) is the {@code layer-tying} compressor's.
 */
public final class RelaxedArchitecture implements TrainableArchitecture {

    static final String ID = "relaxed";

    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            Setting.ofInt("shared_layers", 2, 1, 64, "B: layers whose weight matrices are shared"),
            Setting.ofInt("loops", 2, 1, 64, "times the B shared layers are cycled (depth L = B x loops)"),
            Setting.ofInt("lora_rank", 8, 0, 4096, "rank r of each depth's LoRA (0: a pure recursive transformer)"),
            Setting.ofChoice("lora_qkv", "fused", List.of("fused", "separate"),
                    "LoRA of the q/k/v projection: one of the packed (3C x C) matrix, or one per q, k and v "
                            + "projection (as the paper's models)"));

    /** Creates the architecture; it holds no state. */
    public RelaxedArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Relaxed Recursive Transformer: CYCLE-shared layers, a LoRA per depth (from vanilla: layer-tying)";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    /**
     * Embeddings and head; B shared sets of the four weight matrices; per depth l = 0..L-1 two norms, the four
     * biases and, at rank r > 0, each linear's LoRA factors A (r', in) and B (out, r') with r' = min(r, in, out),
     * except that with {@code lora_qkv=separate} the q/k/v projection has three: A_s (r', C) and B_s (C, r') for
     * s = q, k, v, 3 r' (C + C) parameters instead of r' (C + 3C).
     */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long depth = (long) config.getInt("shared_layers") * config.getInt("loops");
        long lora = shape.loraParameters(config.getInt("lora_rank"), qkvLora(config));
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape)
                + config.getInt("shared_layers") * shape.matrixParameters()
                + depth * (shape.vectorParameters() + lora));
    }

    /**
     * L layers, each a block plus its LoRA paths: the rank-r intermediates and low-rank outputs (with
     * {@code lora_qkv=separate} three of each on q/k/v, and the row they are joined into).
     */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long depth = (long) config.getInt("shared_layers") * config.getInt("loops");
        long perDepth = shape.activationsPerToken(spec.maxLength())
                + shape.loraActivationsPerToken(config.getInt("lora_rank"), qkvLora(config));
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape) + depth * perDepth);
    }

    /**
     * The mirror in {@code bench/torch_train.py} ({@code Relaxed}), which computes q, k and v as three projections
     * with a LoRA each under {@code lora_qkv=separate}; learned positions and no dropout only, as the other mirrors.
     */
    @Override
    public Optional<Map<String, Object>> pytorchMirror(Config config) {
        if (config.getDouble("dropout") != 0 || PositionEncoding.fromConfig(config) != PositionEncoding.LEARNED) {
            return Optional.empty();
        }
        return Optional.of(Map.of("arch", ID, "width", config.getInt("d_model"), "heads", config.getInt("heads"),
                "hidden", config.getInt("ffn"), "shared_layers", config.getInt("shared_layers"),
                "loops", config.getInt("loops"), "lora_rank", config.getInt("lora_rank"),
                "lora_qkv", config.getString("lora_qkv")));
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        RelaxedModel.Recursion recursion = new RelaxedModel.Recursion(config.getInt("shared_layers"),
                config.getInt("loops"), config.getInt("lora_rank"), qkvLora(config));
        return new RelaxedModel(spec, Block.Shape.fromConfig(config), recursion, config.getDouble("dropout"));
    }

    /** {@code lora_qkv}: fused or separate. */
    private static QkvLora qkvLora(Config config) {
        return QkvLora.valueOf(config.getString("lora_qkv").toUpperCase(Locale.ROOT));
    }
}
