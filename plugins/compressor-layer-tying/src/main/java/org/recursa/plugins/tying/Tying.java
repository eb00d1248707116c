package org.recursa.plugins.tying;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.api.ConfigException;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Fills every weight of a relaxed model from a vanilla one (Bae et al., §3):
 * <ul>
 *   <li>shared matrix {@code block.<b>.<map>.weight} = the mean of the vanilla layers {@link Plan#sources} names
 *       (one layer for Stepwise and Lower);</li>
 *   <li>depth l's biases = vanilla layer l's; its norms = those of the source layer(s) of its shared layer
 *       {@code l mod B} ({@code norms_from=source}, the authors' code) or vanilla layer l's own ({@code depth});</li>
 *   <li>depth l's LoRA = the truncated SVD of the residual {@code W_l - W_shared(l mod B)}: {@code B_l = U_r S_r},
 *       {@code A_l = V_r^T}; with separate q/k/v LoRAs, of each projection's (C, C) row block of the packed residual;
 *       </li>
 *   <li>every other weight (embeddings, final norm, head) copied.</li>
 * </ul>
 * Weights are row-major (out, in) float32; the arithmetic is in double. The residual is taken against the shared
 * matrix as stored (rounded to float), so that shared + LoRA at full rank gives the vanilla layer back.
 */
final class Tying {

    /** The four linear maps of a block, by the path their weights take under its name. */
    static final List<String> MAPS = List.of("attn.qkv", "attn.proj", "mlp.up", "mlp.down");
    private static final List<String> NORMS = List.of("ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias");
    private static final List<String> QKV_SLICES = List.of("q", "k", "v");

    private final Plan plan;
    private final Map<String, Tensor> vanilla;
    private final Map<String, float[]> shared = new HashMap<>();
    private final Map<String, TruncatedSvd> loras = new HashMap<>();
    private double residualEnergy;
    private double vanillaEnergy;

    Tying(Plan plan, WeightSet vanilla) {
        this.plan = plan;
        this.vanilla = vanilla.tensors();
    }

    /** Weights with the names and shapes of {@code target}, every one filled from the vanilla model. */
    WeightSet fill(WeightSet target) {
        Map<String, Tensor> filled = new LinkedHashMap<>();
        target.tensors().forEach((name, like) -> {
            float[] values = value(name, like.shape());
            if (values.length != like.size()) {
                throw new IllegalStateException("layer-tying made " + values.length + " values for '" + name
                        + "', which has shape " + Arrays.toString(like.shape()));
            }
            filled.put(name, Tensor.of(like.shape().clone(), values));
        });
        measureResiduals();
        return new WeightSet(filled);
    }

    /**
     * The fraction of the residuals' squared Frobenius norm, over every depth and map, that the LoRAs reproduce:
     * 1 at full rank, 0 at rank 0 (and 1 when tying left no residual, with one loop).
     */
    double residualEnergyKept() {
        double kept = loras.values().stream().mapToDouble(TruncatedSvd::kept).sum();
        return residualEnergy == 0 ? 1.0 : Math.min(1.0, kept / residualEnergy);
    }

    /** {@code ||W_l - W_shared||_F / ||W_l||_F} over every depth and map: how far tying alone moves the matrices. */
    double relativeResidual() {
        return vanillaEnergy == 0 ? 0 : Math.sqrt(residualEnergy / vanillaEnergy);
    }

    private float[] value(String name, int[] shape) {
        String[] parts = name.split("\\.", 3);
        if (parts.length == 3 && parts[0].equals("block")) {
            return sharedMatrix(Integer.parseInt(parts[1]), map(name, parts[2], ".weight"));
        }
        if (parts.length == 3 && parts[0].equals("depth")) {
            return depthWeight(name, Integer.parseInt(parts[1]), parts[2], shape);
        }
        return copy(name);                    // embeddings, final norm, head: the same in both architectures
    }

    private float[] depthWeight(String name, int depth, String rest, int[] shape) {
        if (NORMS.contains(rest)) {
            return norm(depth, rest);
        }
        String map = MAPS.stream().filter(m -> rest.startsWith(m + ".")).findFirst().orElseThrow(() -> unknown(name));
        String tail = rest.substring(map.length() + 1);
        if (tail.equals("bias")) {
            return copy("block." + depth + "." + map + ".bias");
        }
        String slice = tail.contains(".") ? tail.substring(0, tail.indexOf('.')) : "";
        String factor = tail.substring(slice.isEmpty() ? 0 : slice.length() + 1);
        if (!factor.equals("lora_a") && !factor.equals("lora_b")) {
            throw unknown(name);
        }
        int rank = factor.equals("lora_a") ? shape[0] : shape[1];
        TruncatedSvd svd = loras.computeIfAbsent(depth + "." + map + "." + slice, key -> lora(depth, map, slice, rank));
        return toFloats(factor.equals("lora_a") ? svd.a() : svd.b());
    }

    /** The truncated SVD of depth l's residual of one map, or of one q/k/v slice's row block of it. */
    private TruncatedSvd lora(int depth, String map, String slice, int rank) {
        Tensor layer = tensor("block." + depth + "." + map + ".weight");
        double[] residual = residual(layer, sharedMatrix(depth % plan.shared(), map));
        int rows = layer.shape()[0];
        int columns = layer.shape()[1];
        if (!slice.isEmpty()) {
            int index = QKV_SLICES.indexOf(slice);
            if (index < 0) {
                throw unknown("depth." + depth + "." + map + "." + slice);
            }
            rows /= QKV_SLICES.size();
            residual = Arrays.copyOfRange(residual, index * rows * columns, (index + 1) * rows * columns);
        }
        return TruncatedSvd.of(residual, rows, columns, rank);
    }

    /** Shared layer b's matrix of one map: the mean of its source layers', rounded to float once. */
    private float[] sharedMatrix(int b, String map) {
        return shared.computeIfAbsent(b + "." + map, key -> mean(plan.sources(b), ".weight", map));
    }

    private float[] norm(int depth, String norm) {
        if (!plan.normsFromSource()) {
            return copy("block." + depth + "." + norm);
        }
        return mean(plan.sources(depth % plan.shared()), "", norm);
    }

    /** The mean of {@code block.<l>.<path><suffix>} over layers l, in double, rounded to float. */
    private float[] mean(List<Integer> layers, String suffix, String path) {
        double[] sum = null;
        for (int l : layers) {
            float[] values = tensor("block." + l + "." + path + suffix).values();
            if (sum == null) {
                sum = new double[values.length];
            }
            for (int i = 0; i < values.length; i++) {
                sum[i] += values[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / layers.size());
        }
        return mean;
    }

    /** Adds every depth's residual energy of every map, and the vanilla matrices' energy, to the measures. */
    private void measureResiduals() {
        residualEnergy = 0;
        vanillaEnergy = 0;
        for (int l = 0; l < plan.layers(); l++) {
            for (String map : MAPS) {
                Tensor layer = tensor("block." + l + "." + map + ".weight");
                for (double r : residual(layer, sharedMatrix(l % plan.shared(), map))) {
                    residualEnergy += r * r;
                }
                for (float w : layer.values()) {
                    vanillaEnergy += (double) w * w;
                }
            }
        }
    }

    private static double[] residual(Tensor layer, float[] shared) {
        float[] w = layer.values();
        double[] residual = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            residual[i] = (double) w[i] - shared[i];
        }
        return residual;
    }

    private static String map(String name, String rest, String suffix) {
        if (!rest.endsWith(suffix) || !MAPS.contains(rest.substring(0, rest.length() - suffix.length()))) {
            throw unknown(name);
        }
        return rest.substring(0, rest.length() - suffix.length());
    }

    private float[] copy(String name) {
        return tensor(name).values().clone();
    }

    private Tensor tensor(String name) {
        Tensor tensor = vanilla.get(name);
        if (tensor == null) {
            throw new ConfigException("the vanilla model has no weight '" + name + "', which tying into a relaxed "
                    + "model needs; is it a vanilla checkpoint of this version?");
        }
        return tensor;
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static IllegalStateException unknown(String name) {
        return new IllegalStateException("layer-tying does not know how to fill the relaxed weight '" + name + "'");
    }
}
