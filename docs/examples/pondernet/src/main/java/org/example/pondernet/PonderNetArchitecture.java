package org.example.pondernet;

import java.util.OptionalLong;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.TransformerSettings;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/** PonderNet halting on one weight-shared transformer block ({@link PonderNetModel}). */
public final class PonderNetArchitecture implements TrainableArchitecture {

    static final String ID = "pondernet";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            TransformerSettings.withDefault(TransformerSettings.D_MODEL, "64"),
            TransformerSettings.HEADS,
            TransformerSettings.withDefault(TransformerSettings.FFN, "128"),
            Setting.ofInt("max_steps", 6, 2, 32, "N: the most times the shared block is applied; the last step takes"
                    + " the halting mass the earlier ones left"),
            Setting.ofDouble("lambda_p", 0.3, 0.01, 0.99, "halting probability per step of the truncated geometric"
                    + " prior (prior mean about 1/lambda_p steps); also the initial halting probability"),
            Setting.ofDouble("beta", 0.01, 0.0, 10.0, "weight of KL(halting distribution || prior)"),
            Setting.ofDouble("halt_threshold", 0.5, 0.01, 1.0, "decoding halts at the first step whose cumulative"
                    + " halting mass reaches this (0.5: the median of the halting distribution)"),
            TransformerSettings.DROPOUT);

    /** Creates the architecture; it holds no state. */
    public PonderNetArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Example plugin: PonderNet halting (expected loss over steps + KL to a geometric prior) on one "
                + "weight-shared block";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        return new PonderNetModel(spec, shape(config), halting(config), config.getDouble("dropout"));
    }

    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        return OptionalLong.of(PonderNetModel.parameterCount(spec, shape(config)));
    }

    /**
     * Per step: the block's activations, the step's norm and logits with their log-softmax, and its halting logit;
     * plus the embeddings and the mixture.
     */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = shape(config);
        long perStep = shape.activationsPerToken(spec.maxLength()) + 2L * shape.width() + 2L * spec.vocabularySize()
                + 2;
        return OptionalLong.of(2L * shape.width() + 2L * spec.vocabularySize()
                + (long) config.getInt("max_steps") * perStep);
    }

    private static Block.Shape shape(Config config) {
        int width = config.getInt("d_model");
        int heads = config.getInt("heads");
        if (width % heads != 0) {
            throw new ConfigException("setting 'heads' (" + heads + ") must divide 'd_model' (" + width + ")");
        }
        return new Block.Shape(width, heads, config.getInt("ffn"));
    }

    private static PonderNetModel.Halting halting(Config config) {
        return new PonderNetModel.Halting(config.getInt("max_steps"), config.getDouble("lambda_p"),
                config.getDouble("beta"), config.getDouble("halt_threshold"));
    }
}
