package org.recursa.plugins.mor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.DecoderModel;
import org.recursa.engine.nn.PositionEncoding;
import org.recursa.engine.nn.TransformerSettings;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/** Mixture-of-Recursions: a router decides how many times each token goes through the shared middle. */
public final class MorArchitecture implements TrainableArchitecture {

    static final String ID = "mor";

    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            Setting.ofInt("recursions", 3, 1, 16, "N_r: the most times a token passes the shared middle"),
            Setting.ofInt("base_depth", 1, 1, 64, "shared blocks per recursion (Middle-Cycle: 1 + base x N_r + 1)"),
            Setting.ofChoice("router", "expert", List.of("expert", "token"),
                    "expert-choice (each recursion keeps its top tokens) or token-choice (one depth per token)"),
            Setting.ofChoice("kv", "recursion", List.of("recursion", "share"),
                    "recursion-wise KV (attend among tokens at this depth) or recursive KV sharing (keys and "
                            + "values of the first recursion reused)"),
            Setting.ofDouble("gate_scale", 0.1, 0.0, 10.0, "alpha of the expert-choice gate alpha * sigmoid"),
            Setting.ofDouble("aux_weight", 0.001, 0.0, 10.0, "weight of the expert-choice router's BCE loss"),
            Setting.ofDouble("balance_weight", 0.1, 0.0, 10.0, "weight of the token-choice balancing loss"),
            Setting.ofChoice("router_bce", "all", List.of("all", "candidates"),
                    "expert-choice router BCE over every real token / (B T), or over the current candidates / their "
                            + "number (the authors' code)"));

    /** Creates the architecture; it holds no state. */
    public MorArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Mixture-of-Recursions: Middle-Cycle sharing, expert- or token-choice routing of per-token depth";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        return build(spec, config, MorModel.Compute.GATHERED);
    }

    /**
     * Embeddings and head; the first, {@code base_depth} shared and the last block; and the routers: one (C, 1)
     * weight per recursion for expert-choice, or one (N_r, C) layer with bias for token-choice.
     */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = shape(config);
        long recursions = config.getInt("recursions");
        long routers = config.getString("router").equals("expert") ? recursions * shape.width()
                : recursions * shape.width() + recursions;
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape)
                + (2L + config.getInt("base_depth")) * shape.parameters() + routers);
    }

    /**
     * Every token through every recursion (an upper bound: routing sends fewer), each block application with
     * the gate, its product and the residual sum.
     */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = shape(config);
        long applications = 2L + (long) config.getInt("base_depth") * config.getInt("recursions");
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape)
                + applications * (shape.activationsPerToken(spec.maxLength()) + 3L * shape.width()));
    }

    /** The model with a choice of computation; tests compare the gathered one against the masked reference. */
    static MorModel build(ModelSpec spec, Config config, MorModel.Compute compute) {
        MorModel.Routing routing = new MorModel.Routing(config.getInt("recursions"), config.getInt("base_depth"),
                config.getString("router").equals("expert"), config.getString("kv").equals("share"),
                config.getDouble("gate_scale"), config.getDouble("aux_weight"), config.getDouble("balance_weight"),
                config.getString("router_bce").equals("candidates"));
        return new MorModel(spec, shape(config), routing, config.getDouble("dropout"), compute);
    }

    /**
     * bench/torch_train.py's MoR, which gathers the routed tokens: recursion-wise KV caching only (it has no recursive
     * KV sharing), without dropout.
     */
    @Override
    public Optional<Map<String, Object>> pytorchMirror(Config config) {
        if (!config.getString("kv").equals("recursion") || config.getDouble("dropout") != 0
                || PositionEncoding.fromConfig(config) != PositionEncoding.LEARNED) {
            return Optional.empty();
        }
        return Optional.of(Map.ofEntries(Map.entry("arch", ID), Map.entry("width", config.getInt("d_model")),
                Map.entry("heads", config.getInt("heads")), Map.entry("hidden", config.getInt("ffn")),
                Map.entry("recursions", config.getInt("recursions")),
                Map.entry("base_depth", config.getInt("base_depth")), Map.entry("router", config.getString("router")),
                Map.entry("gate_scale", config.getDouble("gate_scale")),
                Map.entry("aux_weight", config.getDouble("aux_weight")),
                Map.entry("balance_weight", config.getDouble("balance_weight")),
                Map.entry("router_bce", config.getString("router_bce"))));
    }

    /**
     * The widths, refusing rotary positions: a routed recursion attends over the tokens it gathered, packed into
     * slots whose index is not the token's position, so rotating by slot would be wrong.
     */
    private static Block.Shape shape(Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        if (shape.positions() == PositionEncoding.ROPE) {
            throw new ConfigException("setting 'positions' = rope is not supported by mor: its recursions attend over "
                    + "gathered tokens whose slots are not their positions; use learned, sinusoidal or none");
        }
        return shape;
    }
}
