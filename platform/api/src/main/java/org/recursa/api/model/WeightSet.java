package org.recursa.api.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's weights by name, in a stable order. Names are dotted paths such as
 * {@code block.0.attn.q.weight}. A weight shared between layers appears once.
 *
 * @param tensors tensors by name, in the model's order
 */
public record WeightSet(Map<String, Tensor> tensors) {

    /** Copies the map, keeping its order. */
    public WeightSet {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** Number of values over all tensors. */
    public long parameters() {
        return tensors.values().stream().mapToLong(Tensor::size).sum();
    }

    /** Bytes in storage over all tensors. */
    public long storageBytes() {
        return tensors.values().stream().mapToLong(Tensor::storageBytes).sum();
    }
}
