package org.recursa.plugins.loopformer;

import java.util.LinkedHashMap;
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
 * LoopFormer: shared blocks looped along a trajectory of step sizes, conditioned on time and step size, trained so
 * that shorter trajectories (smaller budgets) stay consistent with the full one.
 */
public final class LoopformerArchitecture implements TrainableArchitecture {

    static final String ID = "loopformer";

    private static final ConfigSchema SCHEMA = TransformerSettings.schema(
            Setting.ofInt("blocks", 2, 1, 32, "shared blocks applied in every loop"),
            Setting.ofInt("loops", 4, 1, 64, "L: loops of the trained long trajectory [1/L]xL"),
            Setting.ofString("schedule", "", "step sizes of a pass at the default depth, summing to 1, "
                    + "e.g. 0.5,0.25,0.25 (coarse early, fine late did best in the paper); empty for L steps of 1/L"),
            Setting.ofBoolean("shortcut", true, "train with a random short trajectory, its cross-entropy and the "
                    + "consistency loss (the paper's recipe)"),
            Setting.ofDouble("short_weight", 0.1, 0.0, 10.0, "weight of the short trajectory's cross-entropy"),
            Setting.ofDouble("consistency_weight", 0.1, 0.0, 10.0,
                    "weight of MSE(stopgrad(RMSNorm(h_long)), RMSNorm(h_short))"),
            Setting.ofString("short_schedule", "", "a fixed short trajectory for every training step, e.g. 0.75,0.25 "
                    + "(reproducible runs, parity tests); empty to draw one per step as the authors do"),
            Setting.ofInt("fourier_dims", 256, 2, 4096, "Fourier features of the time and the step size"));

    /** Creates the architecture; it holds no state. */
    public LoopformerArchitecture() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "LoopFormer: shared blocks looped under time and step-size conditioning, any budget of loops";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public TrainableModel build(ModelSpec spec, Config config) {
        return new LoopformerModel(spec, Block.Shape.fromConfig(config), settings(config), config.getDouble("dropout"));
    }

    /** The model's settings, the two schedules checked. */
    static LoopformerModel.Settings settings(Config config) {
        return new LoopformerModel.Settings(config.getInt("blocks"), config.getInt("loops"),
                Trajectory.parse("schedule", config.getString("schedule"), LoopformerModel.MAX_DEPTH),
                config.getBoolean("shortcut"), config.getDouble("short_weight"),
                config.getDouble("consistency_weight"),
                Trajectory.parse("short_schedule", config.getString("short_schedule"), LoopformerModel.MAX_DEPTH),
                config.getInt("fourier_dims"));
    }

    /** Embeddings and head, B blocks (no norms, four modulation maps each) and the two time embedders. */
    @Override
    public OptionalLong parameterCount(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        return OptionalLong.of(DecoderModel.sharedParameters(spec, shape)
                + config.getInt("blocks") * LoopformerBlock.parameters(shape)
                + 2 * TimeEmbedder.parameters(config.getInt("fourier_dims"), shape.width()));
    }

    /**
     * B block applications per loop; a training pass with the shortcut keeps the long trajectory's L loops and up
     * to L − 1 of the short one's, plus the two normalised states the consistency loss compares.
     */
    @Override
    public OptionalLong activationsPerToken(ModelSpec spec, Config config) {
        Block.Shape shape = Block.Shape.fromConfig(config);
        LoopformerModel.Settings settings = settings(config);
        int loops = Math.max(settings.loops(), settings.schedule().length);
        int applications = settings.shortcut() ? 2 * loops - 1 : loops;
        long perBlock = shape.activationsPerToken(spec.maxLength()) + LoopformerBlock.extraActivationsPerToken(shape);
        return OptionalLong.of(DecoderModel.sharedActivationsPerToken(spec, shape)
                + (long) applications * settings.blocks() * perBlock + (settings.shortcut() ? 3L * shape.width() : 0));
    }

    /**
     * bench/torch_train.py's "loopformer" model with the same settings; no dropout, learned positions. Without a
     * {@code short_schedule}, both sides draw their own short trajectories, so only a fixed one can be compared.
     * Schedules go as comma lists, as typed, since {@code recursa bench train} passes each entry as an argument.
     */
    @Override
    public Optional<Map<String, Object>> pytorchMirror(Config config) {
        if (config.getDouble("dropout") != 0 || PositionEncoding.fromConfig(config) != PositionEncoding.LEARNED) {
            return Optional.empty();
        }
        LoopformerModel.Settings settings = settings(config);
        Map<String, Object> mirror = new LinkedHashMap<>();
        mirror.put("arch", ID);
        mirror.put("width", config.getInt("d_model"));
        mirror.put("heads", config.getInt("heads"));
        mirror.put("hidden", config.getInt("ffn"));
        mirror.put("blocks", settings.blocks());
        mirror.put("loops", settings.loops());
        mirror.put("schedule", Trajectory.format(settings.schedule()));
        mirror.put("shortcut", settings.shortcut());
        mirror.put("short_weight", settings.shortWeight());
        mirror.put("consistency_weight", settings.consistencyWeight());
        mirror.put("short_schedule", Trajectory.format(settings.shortSchedule()));
        mirror.put("fourier_dims", settings.fourierDims());
        return Optional.of(mirror);
    }
}
