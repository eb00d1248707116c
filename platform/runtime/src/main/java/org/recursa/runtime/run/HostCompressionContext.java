package org.recursa.runtime.run;

import java.util.List;
import java.util.Map;
import org.recursa.api.ConfigException;
import org.recursa.api.ExtensionKind;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.Uptraining;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runtime.ExtensionRegistry;

/**
 * What the host gives a compressor ({@link CompressionContext}): the parent's training sequences to calibrate on,
 * the uptraining it will run, and models built by the installed architectures for the parent's vocabulary, length
 * and seed.
 */
final class HostCompressionContext implements CompressionContext {

    private final ExtensionRegistry registry;
    private final ModelSpec spec;
    private final List<int[]> calibration;
    private final Uptraining uptraining;

    HostCompressionContext(ExtensionRegistry registry, ModelSpec spec, List<int[]> calibration,
                           Uptraining uptraining) {
        this.registry = registry;
        this.spec = spec;
        this.calibration = List.copyOf(calibration);
        this.uptraining = uptraining;
    }

    @Override
    public List<int[]> calibration() {
        return calibration.stream().map(int[]::clone).toList();
    }

    @Override
    public Uptraining uptraining() {
        return uptraining;
    }

    @Override
    public TrainableModel build(String architecture, Map<String, Object> settings) {
        TrainableArchitecture found = architecture(architecture);
        TrainableModel model = found.build(spec, found.schema().resolve(TrainedRun.strings(settings)));
        if (model == null) {
            throw new ConfigException("architecture '" + architecture + "' built no model (build returned null)");
        }
        return model;
    }

    /** The installed architecture of that id; a compressor asking for another gets a ConfigException. */
    TrainableArchitecture architecture(String id) {
        if (registry.find(ExtensionKind.ARCHITECTURE, id).isEmpty()) {
            throw new ConfigException("architecture '" + id + "' is not installed");
        }
        return registry.require(TrainableArchitecture.class, id);
    }

    /** The spec every model of this context is built for. */
    ModelSpec spec() {
        return spec;
    }
}
