package org.recursa.plugins.sliced;

import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.model.Architecture;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.nn.Block;

/** The Sliced Recursive Transformer (SReT) as a causal decoder. */
public final class SlicedArchitecture implements Architecture {

    static final String ID = "sliced";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("d_model", 128, 8, 4096, "model width"),
            Setting.ofInt("heads", 4, 1, 64, "attention heads (must divide d_model)"),
            Setting.ofInt("ffn", 512, 8, 16384, "feed-forward width of the shared blocks"),
            Setting.ofInt("blocks", 2, 1, 64, "unique shared blocks"),
            Setting.ofInt("loops", 2, 1, 64, "applications of each shared block"),
            Setting.ofInt("groups", 2, 1, 64, "attention groups G on recursive applications (1: full attention)"),
            Setting.ofBoolean("shuffle", true, "draw a fresh group permutation on every training pass"),
            Setting.ofInt("nll_hidden", 128, 1, 16384, "hidden width of the non-shared MLP after each application"),
            Setting.ofDouble("dropout", 0.0, 0.0, 0.9, "dropout on residual branches during training"));

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
    public Model build(ModelSpec spec, Config config) {
        SlicedModel.Recursion recursion = new SlicedModel.Recursion(config.getInt("blocks"), config.getInt("loops"),
                config.getInt("groups"), config.getBoolean("shuffle"), config.getInt("nll_hidden"));
        return new SlicedModel(spec, Block.Shape.fromConfig(config), recursion, config.getDouble("dropout"));
    }
}
