package org.recursa.plugins.sliced;

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

/** The Sliced Recursive Transformer (SReT) as a causal decoder. */
public final class SlicedArchitecture implements TrainableArchitecture {

    static final String ID = "sliced";

    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            TransformerSettings.withDescription(TransformerSettings.FFN, "feed-forward width of the shared blocks"),
            Setting.ofInt("blocks", 2, 1, 64, "unique shared blocks"),
            Setting.ofInt("loops", 2, 1, 64, "applications of each shared block"),
            Setting.ofInt("groups", 2, 1, 64, "attention groups G on recursive applications (1: full attention)"),
            Setting.ofBoolean("shuffle", true, "draw fresh group permutations while training"),
            Setting.ofChoice("regroup", "call", java.util.List.of("call", "pass"),
                    "with shuffle: a fresh permutation for every attention call (SReT) or one per training pass"),
            Setting.ofInt("groups1", 1, 1, 64,
                    "contiguous groups of the first application of each block (1: full causal attention)"),
            Setting.ofInt("nll_hidden", 128, 1, 16384, "hidden width of the non-shared MLP after each application"));

    /** Creates the architecture; it holds no state. */
    public SlicedArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Sliced Recursive Transformer: looped shared blocks, non-shared NLLs, causal group attention";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        SlicedModel.Recursion recursion = new SlicedModel.Recursion(config.getInt("blocks"), config.getInt("loops"),
                config.getInt("groups"), config.getBoolean("shuffle"), config.getString("regroup").equals("call"),
                config.getInt("groups1"), config.getInt("nll_hidden"));
        return new SlicedModel(spec, Block.Shape.fromConfig(config), recursion, config.getDouble("dropout"));
    }

    /**
     * Embeddings and head; B shared blocks, each a standard block plus its 4 coefficients; and per application
     * an NLL: a norm (2C), an MLP (C to nll_hidden to C, with biases) and 2 coefficients.
     */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long width = shape.width();
        long nllHidden = config.getInt("nll_hidden");
        long applications = (long) config.getInt("blocks") * config.getInt("loops");
        long nll = 2 * width + width * nllHidden + nllHidden + nllHidden * width + width + 2;
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape)
                + config.getInt("blocks") * (shape.parameters() + Block.Shape.RESIDUAL_COEFFICIENTS)
                + applications * nll);
    }

    /** Every application of a block, each followed by its NLL (norm, hidden layer twice, output, scaled sum). */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long applications = (long) config.getInt("blocks") * config.getInt("loops");
        long perApplication = shape.activationsPerToken(spec.maxLength()) + shape.scaledResidualActivationsPerToken()
                + 5L * shape.width() + 2L * config.getInt("nll_hidden");
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape) + applications * perApplication);
    }
}
