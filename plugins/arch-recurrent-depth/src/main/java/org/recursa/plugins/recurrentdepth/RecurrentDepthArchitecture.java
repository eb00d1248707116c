package org.recursa.plugins.recurrentdepth;

import java.util.List;
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

/**
 * The recurrent-depth transformer of Geiping et al. (Huginn): a prelude embeds the input once, a block of layers is
 * looped r times on a latent state into which the prelude's output is injected at every recursion, and a coda
 * decodes the last state. Training samples r around a mean and back-propagates through the last recursions only.
 */
public final class RecurrentDepthArchitecture implements TrainableArchitecture {

    static final String ID = "recurrent-depth";

    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            Setting.ofInt("prelude_layers", 1, 0, 32, "blocks applied once before the recurrence"),
            Setting.ofInt("recurrent_layers", 2, 1, 32, "blocks of the recurrent unit, applied r times"),
            Setting.ofInt("coda_layers", 1, 0, 32, "blocks applied once after the recurrence"),
            Setting.ofInt("mean_recurrence", 4, 1, RecurrentDepthModel.MAX_DEPTH,
                    "mean r of the training draw; the r of an inference pass"),
            Setting.ofInt("backprop_depth", 2, 1, RecurrentDepthModel.MAX_DEPTH,
                    "recursions a training pass back-propagates through (the last ones)"),
            Setting.ofDouble("recurrence_sigma", 0.5, 0.0, 3.0,
                    "sigma of the log-normal rate of the Poisson draw of r"),
            Setting.ofBoolean("sample_recurrence", true,
                    "draw r per training step; false runs the mean (or the host's depth) every step"),
            Setting.ofChoice("init_state", "random", List.of("random", "zeros"),
                    "initial latent state: truncated normal, std sqrt(2/(5 d_model)), or zeros"),
            Setting.ofDouble("layer_scale", 0.0, 0.0, 1.0,
                    "LayerScale gains on the recurrent blocks' branches, initialised to this (0: none; 1e-4 in "
                            + "Thinking Deeper)"),
            Setting.ofBoolean("identity_gate", false,
                    "identity-biased recurrence: s_i = s_{i-1} + sigmoid(a) (R(..) - s_{i-1}), a learnable"),
            Setting.ofDouble("gate_bias", -2.0, -10.0, 10.0, "identity_gate: initial a (sigmoid(-2) = 0.12)"));

    /** Creates the architecture; it holds no state. */
    public RecurrentDepthArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Recurrent-depth transformer (Huginn): prelude, a looped block with input injection, coda";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        return new RecurrentDepthModel(spec, Block.Shape.fromConfig(config), settings(config),
                config.getDouble("dropout"));
    }

    static RecurrentDepthModel.Settings settings(Config config) {
        return new RecurrentDepthModel.Settings(config.getInt("prelude_layers"), config.getInt("recurrent_layers"),
                config.getInt("coda_layers"), config.getInt("mean_recurrence"), config.getInt("backprop_depth"),
                config.getDouble("recurrence_sigma"), config.getBoolean("sample_recurrence"),
                config.getString("init_state").equals("random"), new RecurrentDepthModel.Stabilisers(
                        config.getDouble("layer_scale"), config.getBoolean("identity_gate"),
                        config.getDouble("gate_bias")));
    }

    /**
     * Embeddings and head, every distinct block, the adapter's (C, 2C) weight and C bias, with LayerScale two gains
     * of C per recurrent block, with the identity gate one scalar.
     */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long width = shape.width();
        long stabilisers = (config.getDouble("layer_scale") > 0 ? 2L * width * config.getInt("recurrent_layers") : 0)
                + (config.getBoolean("identity_gate") ? 1 : 0);
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape) + blocks(config) * shape.parameters()
                + 2 * width * width + width + stabilisers);
    }

    /**
     * The prelude and coda blocks once, and backprop_depth recursions of the recurrent blocks, each after the
     * adapter (its 2C input and C output): a pass on a training tape runs the recursions before those without
     * keeping anything for the backward pass, so backprop_depth bounds what it keeps whatever r it draws.
     */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long block = shape.activationsPerToken(spec.maxLength());
        long once = (long) (config.getInt("prelude_layers") + config.getInt("coda_layers")) * block;
        long perRecursion = config.getInt("recurrent_layers") * block + 3L * shape.width();
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape) + once
                + config.getInt("backprop_depth") * perRecursion);
    }

    /**
     * bench/torch_train.py's "recurrent-depth" model: the same prelude, adapter, recurrent blocks and coda, run
     * mean_recurrence times from a zero state; in training mode it detaches the state entering the last
     * backprop_depth recursions, as a pass on a training tape here does. It draws no r (a pass without a training
     * step does not either), no initial noise and no dropout, and has learned positions.
     */
    @Override
    public Optional<Map<String, Object>> pytorchMirror(Config config) {
        if (config.getString("init_state").equals("random") || config.getDouble("dropout") != 0
                || config.getDouble("layer_scale") > 0 || config.getBoolean("identity_gate")
                || PositionEncoding.fromConfig(config) != PositionEncoding.LEARNED) {
            return Optional.empty();
        }
        return Optional.of(Map.of("arch", ID, "width", config.getInt("d_model"), "heads", config.getInt("heads"),
                "hidden", config.getInt("ffn"), "prelude_layers", config.getInt("prelude_layers"),
                "recurrent_layers", config.getInt("recurrent_layers"), "coda_layers", config.getInt("coda_layers"),
                "recurrence", config.getInt("mean_recurrence"), "backprop_depth", config.getInt("backprop_depth")));
    }

    private static long blocks(Config config) {
        return config.getInt("prelude_layers") + config.getInt("recurrent_layers") + config.getInt("coda_layers");
    }
}
