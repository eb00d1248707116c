package org.recursa.plugins.tying;

import java.util.HashMap;
import java.util.Map;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.plugins.relaxed.RelaxedArchitecture;
import org.recursa.plugins.universal.UniversalArchitecture;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.CompressionHarness;

/**
 * Trained-looking vanilla models of the tests' shape (C = 8, two heads, FFN 12, distinct layers) and their tying, as
 * {@code recursa compress} would call it: through a {@link CompressionHarness} over the vanilla, relaxed and universal
 * architectures.
 */
final class Fixture {

    /** A batch of prompts to compare logits on. */
    static final int[][] PROBE = {{3, 4, 5, 6, 1, 2}, {5, 3, 1}};
    static final int WIDTH = 8;
    static final int FFN = 12;

    final CompressionHarness harness = CompressionHarness.tiny(new VanillaArchitecture(), new RelaxedArchitecture(),
            new UniversalArchitecture());
    final LayerTyingCompressor compressor = new LayerTyingCompressor();

    /** A vanilla model of {@code layers} layers with weights of std 0.3, so that every layer differs. */
    ModelSnapshot vanilla(int layers) {
        return vanilla(layers, Map.of());
    }

    /** The same, with other vanilla settings. */
    ModelSnapshot vanilla(int layers, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("d_model", Integer.toString(WIDTH), "heads", "2",
                "ffn", Integer.toString(FFN), "layers", Integer.toString(layers)));
        settings.putAll(overrides);
        return harness.snapshot("vanilla", settings, 22);
    }

    /** Ties {@code source} with the compressor's {@code settings}, checking first that they are supported. */
    Compression tie(ModelSnapshot source, Map<String, String> settings) {
        var config = compressor.schema().resolve(settings);
        compressor.unsupportedReason(source, config, harness.uptraining()).ifPresent(reason -> {
            throw new AssertionError(reason);
        });
        return compressor.compress(source, config, harness);
    }

    /** Logits of a snapshot's model on {@link #PROBE}. */
    float[][] logits(ModelSnapshot model) {
        return harness.load(model).nextTokenLogits(PROBE);
    }

    /** A weight's values. */
    static float[] values(ModelSnapshot model, String name) {
        var tensor = model.weights().tensors().get(name);
        if (tensor == null) {
            throw new AssertionError(model.architecture() + " has no weight " + name);
        }
        return tensor.values();
    }

    /** A weight as a double matrix (rows, columns), from its row-major (out, in) values. */
    static double[][] matrix(ModelSnapshot model, String name) {
        var tensor = model.weights().tensors().get(name);
        int rows = tensor.shape()[0];
        int columns = tensor.shape()[1];
        double[][] m = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                m[i][j] = tensor.values()[i * columns + j];
            }
        }
        return m;
    }
}
