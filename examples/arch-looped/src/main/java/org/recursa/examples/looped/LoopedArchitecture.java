package org.recursa.examples.looped;

import java.util.OptionalLong;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/** A looped transformer: one pre-norm layer applied {@code loops} times, with a softsign MLP. */
public final class LoopedArchitecture implements TrainableArchitecture {

    static final String ID = "looped";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("d_model", 32, 8, 1024, "model width"),
            Setting.ofInt("heads", 2, 1, 16, "attention heads (must divide d_model)"),
            Setting.ofInt("ffn", 64, 8, 4096, "feed-forward width"),
            Setting.ofInt("loops", 3, 1, 32, "how many times the one layer is applied"));

    /** Creates the architecture; it holds no state. */
    public LoopedArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Example plugin: one weight-shared pre-norm layer looped N times (softsign MLP)";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        return new LoopedModel(spec, shape(config));
    }

    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        return OptionalLong.of(shape(config).parameters(spec));
    }

    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        LoopedModel.Shape shape = shape(config);
        long perLoop = 10L * shape.width() + 2L * shape.hidden() + 2L * shape.heads() * spec.maxLength();
        return OptionalLong.of(3L * shape.width() + 3L * spec.vocabularySize() + shape.loops() * perLoop);
    }

    private static LoopedModel.Shape shape(Config config) {
        int width = config.getInt("d_model");
        int heads = config.getInt("heads");
        if (width % heads != 0) {
            throw new ConfigException("setting 'heads' (" + heads + ") must divide 'd_model' (" + width + ")");
        }
        return new LoopedModel.Shape(width, heads, config.getInt("ffn"), config.getInt("loops"));
    }
}
