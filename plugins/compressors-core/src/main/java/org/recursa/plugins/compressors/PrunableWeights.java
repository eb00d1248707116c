package org.recursa.plugins.compressors;

import java.util.List;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Which weights magnitude pruning may touch: the four linear matrices of the engine's transformer blocks, by their
 * parameter paths ({@code block.0.attn.qkv.weight}, {@code attn.proj}, {@code mlp.up}, {@code mlp.down}; the same
 * names in every first-party architecture, shared or not). Embeddings and the head (every token's only row), norms,
 * biases, LoRA factors, routers and other small maps are left dense.
 */
final class PrunableWeights {

    /** The packed q/k/v projection (3C, C). */
    static final String QKV = "attn.qkv.weight";
    /** The attention's output projection (C, C). */
    static final String PROJ = "attn.proj.weight";
    /** The MLP's first matrix (F, C). */
    static final String UP = "mlp.up.weight";
    /** The MLP's second matrix (C, F). */
    static final String DOWN = "mlp.down.weight";

    private static final List<String> PATHS = List.of(QKV, PROJ, UP, DOWN);

    private PrunableWeights() {
    }

    /** The prunable weights' names, in the model's order. */
    static List<String> names(WeightSet weights) {
        return weights.tensors().entrySet().stream().filter(e -> prunable(e.getKey(), e.getValue()))
                .map(java.util.Map.Entry::getKey).toList();
    }

    /** Whether {@code name} is one of a block's four linear matrices. */
    static boolean prunable(String name, Tensor tensor) {
        return tensor.shape().length == 2 && PATHS.stream().anyMatch(path -> is(name, path));
    }

    /** Whether {@code name} is {@code path} under some prefix (or {@code path} itself). */
    static boolean is(String name, String path) {
        return name.equals(path) || name.endsWith("." + path);
    }

    /** The prefix of a name {@link #is} {@code path}: {@code block.0.} for {@code block.0.attn.qkv.weight}. */
    static String prefix(String name, String path) {
        return name.substring(0, name.length() - path.length());
    }
}
