package org.recursa.plugins.relaxed;

import java.util.List;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.model.Architecture;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.nn.Block;

/** The Relaxed Recursive Transformer: CYCLE-shared layers with a LoRA per depth. */
public final class RelaxedArchitecture implements Architecture {

    static final String ID = "relaxed";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("d_model", 128, 8, 4096, "model width"),
            Setting.ofInt("heads", 4, 1, 64, "attention heads (must divide d_model)"),
            Setting.ofInt("ffn", 512, 8, 16384, "feed-forward width"),
            Setting.ofInt("shared_layers", 2, 1, 64, "B: layers whose weight matrices are shared"),
            Setting.ofInt("loops", 2, 1, 64, "times the B shared layers are cycled (depth L = B x loops)"),
            Setting.ofInt("lora_rank", 8, 0, 4096, "rank r of each depth's LoRA (0: a pure recursive transformer)"),
            Setting.ofChoice("init", "random", List.of("random", "stepwise", "average"),
                    "random, or from the vanilla checkpoint in init_from by Stepwise or Average layer selection"),
            Setting.ofString("init_from", "", "path of a vanilla checkpoint with L = B x loops layers"),
            Setting.ofDouble("dropout", 0.0, 0.0, 0.9, "dropout on residual branches during training"));

    /** Creates the architecture; it holds no state. */
    public RelaxedArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Relaxed Recursive Transformer: CYCLE-shared layers, a LoRA per depth, init from a vanilla checkpoint";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Model build(ModelSpec spec, Config config) {
        RelaxedModel.Recursion recursion = new RelaxedModel.Recursion(config.getInt("shared_layers"),
                config.getInt("loops"), config.getInt("lora_rank"));
        RelaxedModel model = new RelaxedModel(spec, Block.Shape.fromConfig(config), recursion,
                config.getDouble("dropout"));
        String init = config.getString("init");
        String from = config.getString("init_from");
        if (init.equals("random")) {
            if (!from.isEmpty()) {
                throw new ConfigException("setting 'init_from' is only used with init=stepwise or init=average");
            }
            return model;
        }
        if (from.isEmpty()) {
            throw new ConfigException("init=" + init + " needs setting 'init_from': the path of a vanilla checkpoint "
                    + "(a run's checkpoint file) with " + recursion.depth() + " layers");
        }
        VanillaInitializer.initialize(model, config, java.nio.file.Path.of(from),
                init.equals("average") ? VanillaInitializer.Selection.AVERAGE : VanillaInitializer.Selection.STEPWISE);
        return model;
    }
}
