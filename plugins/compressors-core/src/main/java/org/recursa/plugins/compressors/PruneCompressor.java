package org.recursa.plugins.compressors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.CompressionReport;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.compress.Uptraining;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Magnitude pruning of the blocks' linear matrices ({@link PrunableWeights}) to a target sparsity: single values of
 * smallest |w| ({@link MagnitudePruner}), or whole heads or feed-forward units of smallest L2 norm
 * ({@link StructuredUnits}). Pruned matrices are stored sparse, so the checkpoint shrinks with the sparsity and the
 * host's uptraining keeps their zeros.
 */
public final class PruneCompressor implements Compressor {

    /** Creates the compressor; it holds no state. */
    public PruneCompressor() {
    }

    @Override
    public String id() {
        return "prune";
    }

    @Override
    public String description() {
        return "Magnitude pruning of the blocks' linear weights, unstructured or by heads or feed-forward units";
    }

    @Override
    public ConfigSchema schema() {
        return PruneSettings.SCHEMA;
    }

    @Override
    public Optional<String> unsupportedReason(ModelSnapshot source, Config settings, Uptraining budget) {
        Optional<String> invalid = PruneSettings.invalid(settings);
        if (invalid.isPresent()) {
            return invalid;
        }
        PruneSettings prune = PruneSettings.of(settings);
        if (PrunableWeights.names(source.weights()).isEmpty()) {
            return Optional.of("prune found no block linear weights (names ending attn.qkv.weight, attn.proj.weight, "
                    + "mlp.up.weight, mlp.down.weight) in the " + source.architecture() + " model");
        }
        if (prune.structure() == PruneSettings.Structure.NONE) {
            return Optional.empty();
        }
        String structure = "structure=" + prune.structure().name().toLowerCase(java.util.Locale.ROOT);
        Optional<String> lora = source.weights().tensors().keySet().stream().filter(n -> n.contains("lora_"))
                .findFirst();
        if (lora.isPresent()) {
            return Optional.of(structure + " cannot prune " + source.architecture() + ": its LoRA factors (e.g. "
                    + lora.get() + ") would add back the removed rows; use structure=none, or lora_rank=0");
        }
        try {
            units(source, prune.structure());
        } catch (ConfigException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Compression compress(ModelSnapshot source, Config settings, CompressionContext context) {
        unsupportedReason(source, settings, context.uptraining()).ifPresent(reason -> {
            throw new ConfigException(reason);
        });
        PruneSettings prune = PruneSettings.of(settings);
        List<String> names = PrunableWeights.names(source.weights());
        Map<String, float[]> values = new LinkedHashMap<>();
        names.forEach(name -> values.put(name, source.weights().tensors().get(name).values().clone()));
        Map<String, Long> selected = new LinkedHashMap<>();
        Map<String, Double> measures = new LinkedHashMap<>();
        int prunedUnits = 0;
        if (prune.structure() == PruneSettings.Structure.NONE) {
            pruneValues(prune, names, values, selected);
        } else {
            prunedUnits = pruneUnits(prune, units(source, prune.structure()), source.weights(), values, selected);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(source.weights().tensors());
        selected.forEach((name, count) -> {
            if (count > 0) {
                tensors.put(name, new Tensor(tensors.get(name).shape(), values.get(name), Storage.SPARSE));
            }
        });
        WeightSet weights = new WeightSet(tensors);
        long total = values.values().stream().mapToLong(v -> v.length).sum();
        long zeros = values.values().stream().mapToLong(PruneCompressor::zeros).sum();
        long pruned = selected.values().stream().mapToLong(Long::longValue).sum();
        measures.put("sparsity", total == 0 ? 0 : (double) zeros / total);
        measures.put("pruned_values", (double) pruned);
        if (prune.structure() == PruneSettings.Structure.HEADS) {
            measures.put("pruned_heads", (double) prunedUnits);
        } else if (prune.structure() == PruneSettings.Structure.FFN) {
            measures.put("pruned_units", (double) prunedUnits);
        }
        String summary = String.format(java.util.Locale.ROOT, "prune: %s%s magnitude pruning to %.1f%% sparsity of %d "
                + "block weights (%d -> %d bytes)", settings.getString("scope"),
                prune.structure() == PruneSettings.Structure.NONE ? "" : " " + settings.getString("structure"),
                100.0 * measures.get("sparsity"), total, source.weights().storageBytes(), weights.storageBytes());
        return new Compression(new ModelSnapshot(source.architecture(), source.settings(), source.info(), weights),
                CompressionReport.of(source.weights(), weights, summary, measures));
    }

    /** Single values: one ranking over every prunable matrix, or one per matrix. */
    private static void pruneValues(PruneSettings prune, List<String> names, Map<String, float[]> values,
                                    Map<String, Long> selected) {
        if (prune.global()) {
            List<float[]> all = names.stream().map(values::get).toList();
            long[] counts = MagnitudePruner.prune(all, prune.values(all.stream().mapToLong(v -> v.length).sum()));
            for (int i = 0; i < names.size(); i++) {
                selected.put(names.get(i), counts[i]);
            }
        } else {
            for (String name : names) {
                float[] tensor = values.get(name);
                selected.put(name, MagnitudePruner.prune(List.of(tensor), prune.values(tensor.length))[0]);
            }
        }
    }

    /** Whole units of smallest L2 norm: over the model, or per layer; returns how many went. */
    private static int pruneUnits(PruneSettings prune, List<Unit> units, WeightSet weights,
                                  Map<String, float[]> values, Map<String, Long> selected) {
        double[] norms = units.stream().mapToDouble(unit -> unit.cuts().stream().mapToDouble(cut ->
                cut.squaredNorm(values.get(cut.tensor()), columns(weights, cut))).sum()).toArray();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
            groups.computeIfAbsent(prune.global() ? "" : units.get(i).layer(), k -> new ArrayList<>()).add(i);
        }
        int pruned = 0;
        for (List<Integer> group : groups.values()) {
            List<Integer> weakest = group.stream().sorted(Comparator.comparingDouble(i -> norms[i]))
                    .limit(prune.units(group.size())).toList();
            for (int index : weakest) {
                for (Cut cut : units.get(index).cuts()) {
                    long zeroed = cut.zero(values.get(cut.tensor()), columns(weights, cut));
                    selected.merge(cut.tensor(), zeroed, Long::sum);
                }
                pruned++;
            }
        }
        return pruned;
    }

    private static List<Unit> units(ModelSnapshot source, PruneSettings.Structure structure) {
        return structure == PruneSettings.Structure.HEADS
                ? StructuredUnits.heads(source.weights(), ModelSettings.integer(source, "heads"))
                : StructuredUnits.ffn(source.weights());
    }

    private static int columns(WeightSet weights, Cut cut) {
        return weights.tensors().get(cut.tensor()).shape()[1];
    }

    private static long zeros(float[] values) {
        return IntStream.range(0, values.length).filter(i -> values[i] == 0f).count();
    }
}
