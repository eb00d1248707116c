package org.recursa.plugins.tying;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * Layer tying (Bae et al., "Relaxed Recursive Transformers", arXiv 2410.20672): converts a trained vanilla model of
 * L layers into a relaxed one whose B = L / loops shared layers are cycled {@code loops} times (CYCLE sharing), each
 * depth relaxed by a rank-r LoRA initialised from the truncated SVD of what tying took away ({@link Tying}).
 */
public final class LayerTyingCompressor implements Compressor {

    static final String ID = "layer-tying";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("loops", 2, 1, 64,
                    "times the B = layers / loops shared layers are cycled (must divide the layers)"),
            Setting.ofChoice("init", "average", List.of("stepwise", "average", "lower"),
                    "shared layer b: vanilla layer round(linspace(0, L-1, B))[b] (stepwise), the mean of the layers "
                            + "tied to it (average), or layer b (lower)"),
            Setting.ofInt("rank", 8, 0, 4096,
                    "rank r of each depth's LoRA, at most min(d_model, ffn) (0: a pure recursive model)"),
            Setting.ofChoice("lora_qkv", "fused", List.of("fused", "separate"),
                    "LoRA of the q/k/v projection: one of the packed (3C x C) matrix, or one per q, k and v "
                            + "projection (as the paper's models)"),
            Setting.ofChoice("stepwise_round", "half-even", List.of("half-even", "half-up"),
                    "Stepwise selection round(linspace(0, L-1, B)): halves to even (numpy, the authors' code) or up"),
            Setting.ofChoice("norms_from", "source", List.of("source", "depth"),
                    "each depth's norms: its shared layer's source layer(s) (the authors' code) or its own layer's"));

    /** Creates the compressor; it holds no state. */
    public LayerTyingCompressor() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Ties a vanilla model's layers into a relaxed recursive one: shared layers cycled, SVD-initialised "
                + "LoRAs";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    /** Models other than vanilla, loops that do not divide the layers, and a rank above the smallest map's. */
    @Override
    public Optional<String> unsupportedReason(ModelSnapshot source, Config settings, Uptraining budget) {
        return Plan.problem(source, settings);
    }

    @Override
    public Compression compress(ModelSnapshot source, Config settings, CompressionContext context) {
        Optional<String> problem = Plan.problem(source, settings);
        if (problem.isPresent()) {
            throw new ConfigException(problem.get());
        }
        Plan plan = Plan.of(source, settings);
        Map<String, Object> target = plan.targetSettings(source.settings());
        Model shape = context.build(Plan.TARGET, target);
        Tying tying = new Tying(plan, source.weights());
        WeightSet weights = tying.fill(shape.weights());
        ModelSnapshot model = new ModelSnapshot(Plan.TARGET, target, shape.info(), weights);
        return new Compression(model, CompressionReport.of(source.weights(), weights, summary(plan, tying),
                measures(plan, tying)));
    }

    private static String summary(Plan plan, Tying tying) {
        String lora = plan.rank() == 0 ? "no LoRA (a pure recursive model)"
                : String.format(Locale.ROOT, "a rank-%d LoRA per depth keeps %.1f%% of the residual energy",
                plan.rank(), 100 * tying.residualEnergyKept());
        return String.format(Locale.ROOT, "layer-tying: %d vanilla layers tied into %d shared x %d loops (%s), %s",
                plan.layers(), plan.shared(), plan.loops(), plan.selection().id(), lora);
    }

    private static Map<String, Double> measures(Plan plan, Tying tying) {
        Map<String, Double> measures = new LinkedHashMap<>();
        measures.put("tied_layers", (double) plan.layers());
        measures.put("shared_layers", (double) plan.shared());
        measures.put("loops", (double) plan.loops());
        measures.put("lora_rank", (double) plan.rank());
        measures.put("residual_energy_kept", tying.residualEnergyKept());
        measures.put("relative_residual", tying.relativeResidual());
        return measures;
    }
}
