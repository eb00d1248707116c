package org.recursa.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.CompressionReport;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.model.Model;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.train.TrainableModel;

/**
 * Conformance checks for a {@link Compressor}: call {@link #verify} from the plugin's tests with a model to compress.
 * A compressor that passes leaves its source alone, returns a model its target architecture builds and loads, a
 * report whose sizes are those of the weights it returned, and weights that survive a checkpoint bit for bit; and the
 * target architecture, with the settings the compressor chose, passes {@link ArchitectureConformance#verifyModels}
 * (every check but the finite-difference gradients, which the architecture's own tests run).
 */
public final class CompressorConformance {

    private static final int[][] PROBE = {{3, 4, 5}, {5, 3, 1, 4}};

    private CompressorConformance() {
    }

    /**
     * Compresses {@code source} and runs every check on the result.
     *
     * @param settings the compressor's settings, e.g. {@code rank=2}
     * @param scratch  a directory for checkpoint files
     * @return the compression, for the plugin's own checks
     */
    public static Compression verify(Compressor compressor, ModelSnapshot source, Map<String, String> settings,
                                     CompressionHarness context, Path scratch) throws IOException {
        Config config = compressor.schema().resolve(settings);
        Optional<String> refused = compressor.unsupportedReason(source, config, context.uptraining());
        if (refused.isPresent()) {
            throw new AssertionError(compressor.id() + " refused the model: " + refused.get());
        }
        WeightSet before = copy(source.weights());
        Compression result = compressor.compress(source, config, context);
        if (result == null) {
            throw new AssertionError(compressor.id() + ".compress returned null");
        }
        if (!before.equals(source.weights())) {
            throw new AssertionError(compressor.id() + " modified the weights of the model it compressed");
        }
        reportMatchesTheWeights(compressor.id(), source, result);
        fitsItsArchitecture(compressor.id(), result.model(), context);
        roundTripsThroughACheckpoint(compressor.id(), result.model(), context, scratch);
        ArchitectureConformance.verifyModels(context.architecture(result.model().architecture()),
                strings(result.model().settings()), scratch);
        return result;
    }

    /**
     * The identity compression: the same architecture, settings and weights (storage included), and a report that
     * saved nothing.
     */
    public static void changesNothing(Compressor compressor, ModelSnapshot source, CompressionHarness context) {
        Compression result = compressor.compress(source, compressor.schema().defaults(), context);
        ModelSnapshot model = result.model();
        if (!model.architecture().equals(source.architecture()) || !model.settings().equals(source.settings())
                || !model.weights().equals(source.weights())) {
            throw new AssertionError(compressor.id() + " changed the model");
        }
        if (result.report().ratio() != 1.0 || result.report().parametersAfter() != source.weights().parameters()) {
            throw new AssertionError(compressor.id() + " reports a saving: " + result.report());
        }
    }

    /**
     * {@code settings} are refused for {@code source}: by {@link Compressor#unsupportedReason} or by a
     * {@link ConfigException} (from the schema or from compress), with a message containing {@code fragment}.
     */
    public static void refuses(Compressor compressor, ModelSnapshot source, Map<String, String> settings,
                               CompressionHarness context, String fragment) {
        String message;
        try {
            Config config = compressor.schema().resolve(settings);
            Optional<String> reason = compressor.unsupportedReason(source, config, context.uptraining());
            if (reason.isPresent()) {
                message = reason.get();
            } else {
                compressor.compress(source, config, context);
                throw new AssertionError(compressor.id() + " accepted " + settings + " for " + source.architecture());
            }
        } catch (ConfigException e) {
            message = e.getMessage();
        }
        if (message == null || !message.contains(fragment)) {
            throw new AssertionError(compressor.id() + " refused " + settings + " with '" + message
                    + "', which does not say '" + fragment + "'");
        }
        if (message.contains("\n")) {
            throw new AssertionError(compressor.id() + ": a refusal is one line, got '" + message + "'");
        }
    }

    /** The report's sizes are the source's and the result's, and its summary is one non-blank line. */
    static void reportMatchesTheWeights(String id, ModelSnapshot source, Compression result) {
        CompressionReport report = result.report();
        WeightSet after = result.model().weights();
        long[] expected = {source.weights().parameters(), after.parameters(), source.weights().storageBytes(),
                after.storageBytes()};
        long[] reported = {report.parametersBefore(), report.parametersAfter(), report.bytesBefore(),
                report.bytesAfter()};
        if (!Arrays.equals(expected, reported)) {
            throw new AssertionError(id + ": report says parameters/bytes before and after " + Arrays.toString(reported)
                    + ", the weights have " + Arrays.toString(expected));
        }
        if (report.summary().isBlank() || report.summary().contains("\n")) {
            throw new AssertionError(id + ": the summary must be one line, got '" + report.summary() + "'");
        }
        report.measures().forEach((name, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new AssertionError(id + ": measure " + name + " is " + value);
            }
        });
    }

    /** The target architecture builds a model with exactly the returned weights' names and shapes. */
    static void fitsItsArchitecture(String id, ModelSnapshot model, CompressionHarness context) {
        Map<String, String> expected = shapes(context.build(model.architecture(), model.settings()).weights());
        Map<String, String> returned = shapes(model.weights());
        if (!expected.equals(returned)) {
            throw new AssertionError(id + ": weights " + returned + " do not fit " + model.architecture() + " "
                    + model.settings() + ", which has " + expected);
        }
    }

    /**
     * Written to a checkpoint and read back, the weights are equal bit for bit (storage included), and the model
     * loaded from the file gives the logits of the model loaded from the weights, all finite.
     */
    static void roundTripsThroughACheckpoint(String id, ModelSnapshot model, CompressionHarness context, Path scratch)
            throws IOException {
        Path file = Files.createTempFile(scratch, "compressed", ".rckpt");
        Checkpoint.save(file, model.architecture(), model.settings(), ArchitectureConformance.VOCABULARY,
                ArchitectureConformance.MAX_LENGTH, model.weights(), Map.of());
        Checkpoint.Contents read = Checkpoint.read(file);
        if (!read.weights().equals(model.weights())) {
            throw new AssertionError(id + ": the weights read back from a checkpoint differ from those written");
        }
        long valueBytes = Files.size(file) - 20 - java.nio.ByteBuffer.wrap(Files.readAllBytes(file), 16, 4).getInt();
        if (valueBytes != model.weights().storageBytes()) {
            throw new AssertionError(id + ": the checkpoint spends " + valueBytes + " bytes on values, the weights say "
                    + "they take " + model.weights().storageBytes());
        }
        Model direct = context.load(model);
        TrainableModel loaded = context.build(model.architecture(), model.settings());
        Checkpoint.load(file, model.architecture(), loaded.parameters());
        float[][] a = direct.nextTokenLogits(PROBE);
        float[][] b = loaded.nextTokenLogits(PROBE);
        for (int row = 0; row < a.length; row++) {
            if (!Arrays.equals(a[row], b[row])) {
                throw new AssertionError(id + ": logits of the model loaded from the checkpoint differ");
            }
            for (float value : a[row]) {
                if (!Float.isFinite(value)) {
                    throw new AssertionError(id + ": the compressed model computes non-finite logits");
                }
            }
        }
    }

    private static Map<String, String> shapes(WeightSet weights) {
        Map<String, String> shapes = new TreeMap<>();
        weights.tensors().forEach((name, tensor) -> shapes.put(name, Arrays.toString(tensor.shape())));
        return shapes;
    }

    private static Map<String, String> strings(Map<String, Object> settings) {
        Map<String, String> strings = new LinkedHashMap<>();
        settings.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }

    private static WeightSet copy(WeightSet weights) {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        weights.tensors().forEach((name, t) -> copies.put(name, new Tensor(t.shape().clone(), t.values().clone(),
                t.storage())));
        return new WeightSet(copies);
    }
}
