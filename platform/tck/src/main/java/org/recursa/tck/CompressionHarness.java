package org.recursa.tck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.compress.Uptraining;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/**
 * A {@link CompressionContext} over architectures a test names, as the host gives one over the installed
 * architectures: builds models for one vocabulary and length, hands out fixed calibration sequences and an
 * uptraining budget. Plugin tests use it to call a compressor as {@code recursa compress} would.
 */
public final class CompressionHarness implements CompressionContext {

    private final ModelSpec spec;
    private final List<int[]> calibration;
    private final Uptraining uptraining;
    private final Map<String, TrainableArchitecture> architectures = new LinkedHashMap<>();

    /**
     * A context for models of {@code spec}.
     *
     * @param spec          vocabulary, length and seed of every model it builds
     * @param calibration   the calibration sequences
     * @param uptraining    the budget a compressor is told of
     * @param architectures the architectures {@link #build} knows
     */
    public CompressionHarness(ModelSpec spec, List<int[]> calibration, Uptraining uptraining,
                              TrainableArchitecture... architectures) {
        this.spec = spec;
        this.calibration = List.copyOf(calibration);
        this.uptraining = uptraining;
        for (TrainableArchitecture architecture : architectures) {
            this.architectures.put(architecture.id(), architecture);
        }
    }

    /** A context for the TCK's tiny problem ({@link ArchitectureConformance#VOCABULARY} tokens), no uptraining. */
    public static CompressionHarness tiny(TrainableArchitecture... architectures) {
        return new CompressionHarness(new ModelSpec(ArchitectureConformance.VOCABULARY,
                ArchitectureConformance.MAX_LENGTH, 1), List.of(new int[] {3, 4, 5, 6, 1, 2}, new int[] {5, 3, 1}),
                Uptraining.NONE, architectures);
    }

    /** The same context with another uptraining budget. */
    public CompressionHarness withUptraining(Uptraining budget) {
        return new CompressionHarness(spec, calibration, budget,
                architectures.values().toArray(TrainableArchitecture[]::new));
    }

    @Override
    public List<int[]> calibration() {
        return calibration;
    }

    @Override
    public Uptraining uptraining() {
        return uptraining;
    }

    @Override
    public TrainableModel build(String architecture, Map<String, Object> settings) {
        return build(architecture(architecture), settings);
    }

    /** The architecture of that id, among those given. */
    public TrainableArchitecture architecture(String id) {
        TrainableArchitecture found = architectures.get(id);
        if (found == null) {
            throw new ConfigException("architecture '" + id + "' is not installed; installed: "
                    + String.join(", ", architectures.keySet()));
        }
        return found;
    }

    /**
     * A trained-looking model to compress: built by {@code architecture} from {@code settings}, with its weights
     * randomised (std 0.3, {@code seed}) so that no zero-initialised part makes a compression look exact.
     */
    public ModelSnapshot snapshot(String architecture, Map<String, String> settings, long seed) {
        TrainableArchitecture found = architecture(architecture);
        Config config = found.schema().resolve(settings);
        TrainableModel model = found.build(spec, config);
        TorchReference.randomizeWeights(model, seed, 0.3);
        return new ModelSnapshot(found.id(), config.asMap(), model.info(), model.parameters().toWeightSet());
    }

    /** A model of a snapshot: built by its architecture from its settings, holding its weights. */
    public TrainableModel load(ModelSnapshot snapshot) {
        TrainableModel model = build(snapshot.architecture(), snapshot.settings());
        model.parameters().assign(snapshot.weights());
        return model;
    }

    private TrainableModel build(TrainableArchitecture architecture, Map<String, Object> settings) {
        Map<String, String> strings = new LinkedHashMap<>();
        settings.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        TrainableModel model = architecture.build(spec, architecture.schema().resolve(strings));
        if (model == null) {
            throw new AssertionError(architecture.id() + ".build returned null");
        }
        return model;
    }
}
