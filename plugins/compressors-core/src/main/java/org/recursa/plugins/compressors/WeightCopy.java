package org.recursa.plugins.compressors;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.recursa.api.ConfigException;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Fills a target model's weights from a source model's by name. A weight the target has with the source's shape is
 * taken as it is (storage included). One whose first dimension is smaller, the rest equal, takes the source's
 * leading rows: tables with a row per recursion (universal's step embeddings, a token-choice router) shrink with the
 * depth, and recursion t reads row t in both models.
 */
final class WeightCopy {

    private WeightCopy() {
    }

    /**
     * The source's weights laid out as {@code layout}.
     *
     * @throws ConfigException when a weight of the layout is missing from the source or has a shape that is neither
     *                         the source's nor its leading rows
     */
    static WeightSet into(WeightSet layout, WeightSet source) {
        Map<String, Tensor> copied = new LinkedHashMap<>();
        layout.tensors().forEach((name, target) -> {
            Tensor from = source.tensors().get(name);
            if (from == null) {
                throw new ConfigException("weight '" + name + "' of the compressed model is not in the source model");
            }
            if (Arrays.equals(from.shape(), target.shape())) {
                copied.put(name, from);
            } else if (leadingRows(from.shape(), target.shape())) {
                copied.put(name, firstRows(from, target.shape()));
            } else {
                throw new ConfigException("weight '" + name + "' has shape " + Arrays.toString(from.shape())
                        + " in the source model; the compressed model needs " + Arrays.toString(target.shape())
                        + " (the same, or fewer rows)");
            }
        });
        return new WeightSet(copied);
    }

    private static boolean leadingRows(int[] from, int[] to) {
        return from.length == to.length && from.length > 0 && to[0] < from[0]
                && Arrays.equals(from, 1, from.length, to, 1, to.length);
    }

    private static Tensor firstRows(Tensor from, int[] shape) {
        int rows = shape[0];
        float[] values = Arrays.copyOf(from.values(), from.size() / from.shape()[0] * rows);
        Storage storage = from.storage();
        if (storage instanceof Storage.Int8 int8 && shape.length >= 2) {   // a scale per remaining row
            storage = new Storage.Int8(Arrays.copyOf(int8.scales(), rows));
        }
        return new Tensor(shape, values, storage);
    }
}
