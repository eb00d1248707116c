package org.recursa.plugins.relaxed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.recursa.api.Config;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.train.TrainableModel;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.ArchitectureConformance;
import org.recursa.tck.TorchReference;

/** Vanilla checkpoints of the relaxed tests' shape (C = 8, two heads, FFN 12) to initialise from, and their models. */
final class VanillaFixture {

    private VanillaFixture() {
    }

    /** A vanilla model with distinct, trained-looking layers, saved to {@code scratch}. */
    static Path checkpoint(Path scratch, int layers) throws IOException {
        VanillaArchitecture vanilla = new VanillaArchitecture();
        Config config = config(vanilla, layers);
        TrainableModel model = ArchitectureConformance.build(vanilla, config, 21);
        TorchReference.randomizeWeights(model, 22, 0.3);     // distinct layers, as after training
        Path file = scratch.resolve("vanilla-" + layers + ".rckpt");
        Checkpoint.save(file, "vanilla", config.asMap(), ArchitectureConformance.VOCABULARY,
                ArchitectureConformance.MAX_LENGTH, model.parameters(), Map.of());
        return file;
    }

    /** The vanilla model a {@link #checkpoint} of four layers holds. */
    static TrainableModel load(Path checkpoint) throws IOException {
        VanillaArchitecture vanilla = new VanillaArchitecture();
        TrainableModel model = ArchitectureConformance.build(vanilla, config(vanilla, 4), 1);
        Checkpoint.load(checkpoint, "vanilla", model.parameters());
        return model;
    }

    private static Config config(VanillaArchitecture vanilla, int layers) {
        return vanilla.schema().resolve(Map.of("d_model", "8", "heads", "2", "ffn", "12",
                "layers", Integer.toString(layers)));
    }
}
