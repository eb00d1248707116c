package org.recursa.engine.train;

import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Config;
import org.recursa.api.model.Architecture;
import org.recursa.api.model.ModelSpec;

/**
 * An architecture the host can train: every architecture a plugin offers must implement this interface (the
 * registry refuses one that does not when its bundle starts), so that {@link #build} returns a model with
 * parameters and a differentiable forward pass.
 */
@ConsumerType
public interface TrainableArchitecture extends Architecture {

    /**
     * Builds a freshly initialised model.
     *
     * @param spec   vocabulary size, maximum length and seed, from the task
     * @param config resolved hyperparameters from {@link #schema()}
     * @return a new model; two calls with equal arguments give models with equal weights
     */
    @Override
    TrainableModel build(ModelSpec spec, Config config);

    /**
     * The settings of this architecture's PyTorch mirror, if it has one for {@code config}: the model that
     * {@code bench/torch_reference.py} (gradient parity, run by the TCK's {@code TorchReference}),
     * {@code bench/torch_train.py} (throughput, {@code recursa bench train}) and {@code bench/torch_decode.py}
     * (decoding, {@code recursa bench decode}) build to compare with this one. The
     * keys are {@code arch} (the mirror's name), {@code width}, {@code heads}, {@code hidden}, {@code layers}, and
     * whatever else the mirror reads (e.g. {@code recursions}, {@code router}); values are numbers or strings.
     *
     * @param config resolved hyperparameters
     * @return the mirror's settings, or empty (the default) when no mirror reproduces this configuration
     */
    default Optional<Map<String, Object>> pytorchMirror(Config config) {
        return Optional.empty();
    }
}
