package org.recursa.runtime.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;

/**
 * Keeps the zeros of the weights a compressor stored {@link Storage#SPARSE sparse} while the host uptrains the model
 * (a pruned weight that training revived would undo the pruning and the bytes it saved), and stores the trained
 * weights back in the compressor's storage.
 */
final class SparseWeights {

    private final Map<String, Storage> storage = new LinkedHashMap<>();
    private final Map<String, boolean[]> kept = new LinkedHashMap<>();
    private final Map<String, INDArray> masks = new LinkedHashMap<>();

    /** The sparse tensors of {@code compressed}, whose zeros {@link #apply} restores in {@code parameters}. */
    SparseWeights(WeightSet compressed, ParameterSet parameters) {
        compressed.tensors().forEach((name, tensor) -> {
            storage.put(name, tensor.storage());
            if (tensor.storage() instanceof Storage.Sparse) {
                float[] values = tensor.values();
                boolean[] keep = new boolean[values.length];
                float[] mask = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    keep[i] = Float.floatToRawIntBits(values[i]) != 0;
                    mask[i] = keep[i] ? 1 : 0;
                }
                kept.put(name, keep);
                Parameter parameter = parameters.get(name);
                masks.put(name, Nd4j.create(mask, parameter.shape(), 'c').castTo(parameter.value().dataType()));
            }
        });
    }

    /** Zeroes every pruned value again; called after each optimiser step. */
    void apply(ParameterSet parameters) {
        masks.forEach((name, mask) -> parameters.get(name).value().muli(mask));
    }

    /** The trained weights in the compressor's storage: sparse ones with exactly their kept positions. */
    WeightSet stored(ParameterSet parameters) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.toWeightSet().tensors().forEach((name, tensor) -> {
            boolean[] keep = kept.get(name);
            if (keep == null) {
                tensors.put(name, tensor.withStorage(storage.getOrDefault(name, Storage.FLOAT32)));
                return;
            }
            float[] values = tensor.values().clone();
            for (int i = 0; i < values.length; i++) {
                values[i] = keep[i] ? values[i] : 0f;           // +0.0: a multiplied-out -0.0 would be stored
            }
            tensors.put(name, new Tensor(tensor.shape(), values, Storage.SPARSE));
        });
        return new WeightSet(tensors);
    }

    /** Whether any weight is stored int8, which uptraining would move off its grid. */
    static boolean hasInt8(WeightSet weights) {
        return weights.tensors().values().stream().anyMatch(t -> t.storage() instanceof Storage.Int8);
    }
}
