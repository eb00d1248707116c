package ${package};

import java.util.OptionalLong;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.DecoderModel;
import org.recursa.engine.nn.TransformerSettings;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/**
 * A looped transformer with input injection: one block, its weights shared by every loop, that sees the embedded
 * input again at every step ({@link ${className}Model}). The host trains it through the training SPI
 * ({@link TrainableArchitecture}) and, because the model is recurrent, can also run it at other depths.
 */
public final class ${className}Architecture implements TrainableArchitecture {

    static final String ID = "${id}";

    // d_model, heads, ffn, positions and dropout mean what they mean in every architecture of the platform.
    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            Setting.ofInt("loops", 4, 1, 64, "how many times the shared block is applied (the default depth)"));

    /** Creates the architecture; it holds no state. */
    public ${className}Architecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Looped transformer: one shared block applied N times, the input injected at every loop";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        return new ${className}Model(spec, Block.Shape.fromConfig(config), config.getInt("loops"),
                config.getDouble("dropout"));
    }

    /** Exactly what the built model reports: embeddings, final norm and head, and one block. */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape) + shape.parameters());
    }

    /** Lets the host refuse a run that cannot fit in memory before it builds anything: every loop's activations. */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long perLoop = shape.activationsPerToken(spec.maxLength()) + shape.width();     // + the injected sum
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape)
                + config.getInt("loops") * perLoop);
    }
}
