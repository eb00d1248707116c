package org.recursa.plugins.compressors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.CompressionReport;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.compress.Uptraining;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Post-training weight quantisation: every matrix (linear weights, embeddings, head) becomes per-channel symmetric
 * int8 ({@link ChannelQuantizer}); vectors (biases, norms) keep their storage, as they are few and sensitive.
 */
public final class Int8Compressor implements Compressor {

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("min_size", 0, 0, Integer.MAX_VALUE, "matrices with fewer values stay as they are"),
            Setting.ofInt("calibration", 256, 0, 1_000_000,
                    "calibration sequences for calibration_top1_agreement (0: skip it)"));

    /** Creates the compressor; it holds no state. */
    public Int8Compressor() {
    }

    @Override
    public String id() {
        return "int8";
    }

    @Override
    public String description() {
        return "Post-training per-channel symmetric int8 quantisation of every weight matrix";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Optional<String> unsupportedReason(ModelSnapshot source, Config settings, Uptraining budget) {
        if (budget.isActive()) {
            return Optional.of("int8 is post-training quantisation: uptraining would move weights off the int8 grid;"
                    + " drop uptrain.steps");
        }
        return Optional.empty();
    }

    @Override
    public Compression compress(ModelSnapshot source, Config settings, CompressionContext context) {
        unsupportedReason(source, settings, context.uptraining()).ifPresent(reason -> {
            throw new ConfigException(reason);
        });
        int minSize = settings.getInt("min_size");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int quantized = 0;
        long values = 0;
        double maxError = 0;
        double errorSum = 0;
        for (Map.Entry<String, Tensor> entry : source.weights().tensors().entrySet()) {
            Tensor tensor = entry.getValue();
            if (tensor.shape().length < 2 || tensor.size() < minSize) {
                tensors.put(entry.getKey(), tensor);
                continue;
            }
            ChannelQuantizer.Quantized result = ChannelQuantizer.quantize(tensor);
            tensors.put(entry.getKey(), result.tensor());
            quantized++;
            values += tensor.size();
            maxError = Math.max(maxError, result.maxError());
            errorSum += result.errorSum();
        }
        WeightSet weights = new WeightSet(tensors);
        Map<String, Double> measures = new LinkedHashMap<>();
        measures.put("quantized_tensors", (double) quantized);
        measures.put("max_abs_error", maxError);
        measures.put("mean_abs_error", values == 0 ? 0 : errorSum / values);
        int sequences = settings.getInt("calibration");
        OptionalDouble agreement = sequences == 0 || quantized == 0 ? OptionalDouble.empty()
                : TopOneAgreement.measure(context, source, weights, sequences);
        agreement.ifPresent(fraction -> measures.put("calibration_top1_agreement", fraction));
        String summary = "int8: " + quantized + " of " + tensors.size() + " tensors quantised per channel ("
                + source.weights().storageBytes() + " -> " + weights.storageBytes() + " bytes, max error "
                + String.format(java.util.Locale.ROOT, "%.3g", maxError) + ")";
        return new Compression(new ModelSnapshot(source.architecture(), source.settings(), source.info(), weights),
                CompressionReport.of(source.weights(), weights, summary, measures));
    }
}
