package org.recursa.plugins.universal;

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

/** The Universal Transformer: one block applied T times, optionally with per-position ACT halting. */
public final class UniversalArchitecture implements TrainableArchitecture {

    static final String ID = "universal";

    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            Setting.ofInt("recursions", 4, 1, 64, "steps T (the maximum number of steps with ACT)"),
            Setting.ofBoolean("act", false, "per-position Adaptive Computation Time halting"),
            Setting.ofDouble("act_epsilon", 0.01, 1e-6, 0.5, "a position halts once its halting sum exceeds 1 - epsilon"),
            Setting.ofDouble("ponder_weight", 0.01, 0.0, 10.0, "tau: weight of the ponder loss mean(N + R)"),
            Setting.ofDouble("halting_bias", 1.0, -10.0, 10.0, "initial bias of the halting unit"),
            Setting.ofChoice("act_depth", "ponder", java.util.List.of("ponder", "steps"),
                    "per-token depth recorded with ACT: ponder time N + R (Graves) or the steps N taken"),
            Setting.ofDouble("layer_scale", 0.0, 0.0, 1.0,
                    "LayerScale gains on the block's branches, initialised to this (0: none; 1e-4 in Thinking Deeper)"),
            Setting.ofBoolean("identity_gate", false,
                    "identity-biased recurrence: h_t = h_{t-1} + sigmoid(a) (Block(..) - h_{t-1}), a learnable"),
            Setting.ofDouble("gate_bias", -2.0, -10.0, 10.0, "identity_gate: initial a (sigmoid(-2) = 0.12)"));

    /** Creates the architecture; it holds no state. */
    public UniversalArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Universal Transformer: one shared block looped T times, optional ACT halting";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        UniversalModel.Act act = new UniversalModel.Act(config.getBoolean("act"), 1 - config.getDouble("act_epsilon"),
                config.getDouble("ponder_weight"), config.getDouble("halting_bias"),
                config.getString("act_depth").equals("ponder"));
        UniversalModel.Stabilisers stabilisers = new UniversalModel.Stabilisers(config.getDouble("layer_scale"),
                config.getBoolean("identity_gate"), config.getDouble("gate_bias"));
        return new UniversalModel(spec, Block.Shape.fromConfig(config), config.getInt("recursions"),
                config.getDouble("dropout"), act, stabilisers);
    }

    /**
     * Embeddings and head, one block, a step embedding (T, C), with ACT the halting unit's C + 1, with LayerScale
     * two gains of C, with the identity gate one scalar.
     */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long halting = config.getBoolean("act") ? shape.width() + 1L : 0;
        long stabilisers = (config.getDouble("layer_scale") > 0 ? 2L * shape.width() : 0)
                + (config.getBoolean("identity_gate") ? 1 : 0);
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape) + shape.parameters()
                + (long) config.getInt("recursions") * shape.width() + halting + stabilisers);
    }

    /** T applications of the block, each after adding the position and step signals (and ACT's state and sums). */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        long perStep = shape.activationsPerToken(spec.maxLength()) + (config.getBoolean("act") ? 6L : 2L) * shape.width();
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape)
                + config.getInt("recursions") * perStep);
    }

    /** bench/torch_train.py's "universal" model: one block applied T times with step embeddings; no ACT, no dropout. */
    @Override
    public Optional<Map<String, Object>> pytorchMirror(Config config) {
        if (config.getBoolean("act") || config.getDouble("dropout") != 0 || config.getDouble("layer_scale") > 0
                || config.getBoolean("identity_gate")
                || PositionEncoding.fromConfig(config) != PositionEncoding.LEARNED) {
            return Optional.empty();
        }
        return Optional.of(Map.of("arch", ID, "width", config.getInt("d_model"), "heads", config.getInt("heads"),
                "hidden", config.getInt("ffn"), "layers", config.getInt("recursions")));
    }
}
