package org.recursa.plugins.vanilla;

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
import org.recursa.engine.nn.TransformerSettings;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/** The vanilla (non-recursive) transformer every recursive architecture is compared with. */
public final class VanillaArchitecture implements TrainableArchitecture {

    static final String ID = "vanilla";

    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            Setting.ofInt("layers", 4, 1, 64, "number of blocks, each with its own weights"));

    /** Creates the architecture; it holds no state. */
    public VanillaArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Pre-norm decoder-only transformer with L unshared layers (the baseline)";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        return new VanillaModel(spec, shape, config.getInt("layers"), config.getDouble("dropout"));
    }

    /** Embeddings and head, plus L blocks. */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape) + config.getInt("layers") * shape.parameters());
    }

    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape)
                + config.getInt("layers") * shape.activationsPerToken(spec.maxLength()));
    }

    /** bench/torch_train.py's "vanilla" model: L unshared pre-norm blocks, without dropout. */
    @Override
    public Optional<Map<String, Object>> pytorchMirror(Config config) {
        if (config.getDouble("dropout") != 0
                || PositionEncoding.fromConfig(config) != PositionEncoding.LEARNED) {
            return Optional.empty();
        }
        return Optional.of(Map.of("arch", ID, "width", config.getInt("d_model"), "heads", config.getInt("heads"),
                "hidden", config.getInt("ffn"), "layers", config.getInt("layers")));
    }
}
