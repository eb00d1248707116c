package org.recursa.plugins.compressors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
import org.recursa.api.model.Model;
import org.recursa.api.model.WeightSet;

/**
 * Fewer recursions: the recursive analogue of dropping layers. The model keeps its architecture and its weights;
 * its depth setting ({@link RecursiveDepth}) is lowered, and weights that only deeper recursions used go.
 */
public final class DepthCompressor implements Compressor {

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("recursions", 1, 1, 256, "the depth of the compressed model; below the current depth"));

    /** Creates the compressor; it holds no state. */
    public DepthCompressor() {
    }

    @Override
    public String id() {
        return "depth";
    }

    @Override
    public String description() {
        return "Fewer recursions: a recursive model at a lower depth, with the weights it still uses";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Optional<String> unsupportedReason(ModelSnapshot source, Config settings, Uptraining budget) {
        Optional<RecursiveDepth> depth = RecursiveDepth.of(source.architecture());
        if (depth.isEmpty()) {
            return Optional.of("depth applies to recursive architectures (" + RecursiveDepth.architectures()
                    + "); " + source.architecture() + " has no depth setting to lower");
        }
        int current = depth.get().current(source);
        int target = settings.getInt("recursions");
        if (target >= current) {
            return Optional.of("setting 'recursions' must be below the model's current depth " + current + " ("
                    + depth.get().key() + " of " + source.architecture() + "), got " + target);
        }
        return Optional.empty();
    }

    @Override
    public Compression compress(ModelSnapshot source, Config settings, CompressionContext context) {
        unsupportedReason(source, settings, context.uptraining()).ifPresent(reason -> {
            throw new ConfigException(reason);
        });
        RecursiveDepth depth = RecursiveDepth.of(source.architecture()).orElseThrow();
        int before = depth.current(source);
        int after = settings.getInt("recursions");
        Map<String, Object> target = depth.settingsAt(source, after);
        Model shallower = context.build(source.architecture(), target);
        WeightSet weights = WeightCopy.into(shallower.weights(), source.weights());
        ModelSnapshot compressed = new ModelSnapshot(source.architecture(), target, shallower.info(), weights);
        Map<String, Double> measures = new LinkedHashMap<>();
        measures.put("recursions_before", (double) before);
        measures.put("recursions_after", (double) after);
        String summary = "depth: " + source.architecture() + " " + depth.key() + " " + before + " -> " + after
                + " (" + source.weights().parameters() + " -> " + weights.parameters() + " parameters)";
        return new Compression(compressed, CompressionReport.of(source.weights(), weights, summary, measures));
    }
}
