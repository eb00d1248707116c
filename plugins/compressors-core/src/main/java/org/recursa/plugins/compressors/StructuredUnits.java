package org.recursa.plugins.compressors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recursa.api.ConfigException;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * The heads or feed-forward units of a model built from the engine's blocks. In the packed q/k/v matrix (3C, C)
 * rows [0, C) are the queries, [C, 2C) the keys and [2C, 3C) the values, head h owning rows [hD, (h+1)D) of each
 * (D = C / heads); its output is read by columns [hD, (h+1)D) of the output projection (C, C). Unit j of an MLP is
 * row j of its first matrix (F, C) and column j of its second (C, F).
 */
final class StructuredUnits {

    private StructuredUnits() {
    }

    /** Every head of every attention, in the model's order. */
    static List<Unit> heads(WeightSet weights, int heads) {
        List<Unit> units = new ArrayList<>();
        weights.tensors().forEach((name, qkv) -> {
            if (!PrunableWeights.prunable(name, qkv) || !PrunableWeights.is(name, PrunableWeights.QKV)) {
                return;
            }
            String prefix = PrunableWeights.prefix(name, PrunableWeights.QKV);
            String projName = prefix + PrunableWeights.PROJ;
            Tensor proj = weights.tensors().get(projName);
            int width = qkv.shape()[1];
            if (proj == null || qkv.shape()[0] != 3 * width || !Arrays.equals(proj.shape(), new int[] {width, width})
                    || width % heads != 0) {
                throw new ConfigException("structure=heads needs " + name + " (3C, C) and " + projName + " (C, C) "
                        + "with C divisible by " + heads + " heads, got " + Arrays.toString(qkv.shape()) + " and "
                        + (proj == null ? "none" : Arrays.toString(proj.shape())));
            }
            int size = width / heads;
            for (int h = 0; h < heads; h++) {
                units.add(new Unit(prefix, List.of(new Cut(name, true, h * size, size),
                        new Cut(name, true, width + h * size, size), new Cut(name, true, 2 * width + h * size, size),
                        new Cut(projName, false, h * size, size))));
            }
        });
        return units;
    }

    /** Every hidden unit of every MLP, in the model's order. */
    static List<Unit> ffn(WeightSet weights) {
        List<Unit> units = new ArrayList<>();
        weights.tensors().forEach((name, up) -> {
            if (!PrunableWeights.prunable(name, up) || !PrunableWeights.is(name, PrunableWeights.UP)) {
                return;
            }
            String prefix = PrunableWeights.prefix(name, PrunableWeights.UP);
            String downName = prefix + PrunableWeights.DOWN;
            Tensor down = weights.tensors().get(downName);
            int hidden = up.shape()[0];
            if (down == null || !Arrays.equals(down.shape(), new int[] {up.shape()[1], hidden})) {
                throw new ConfigException("structure=ffn needs " + name + " (F, C) and " + downName + " (C, F), got "
                        + Arrays.toString(up.shape()) + " and " + (down == null ? "none"
                        : Arrays.toString(down.shape())));
            }
            for (int j = 0; j < hidden; j++) {
                units.add(new Unit(prefix, List.of(new Cut(name, true, j, 1), new Cut(downName, false, j, 1))));
            }
        });
        return units;
    }
}
