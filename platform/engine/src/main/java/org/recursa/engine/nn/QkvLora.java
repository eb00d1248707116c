package org.recursa.engine.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.recursa.engine.ParameterSet;

/**
 * How a LoRA relaxes a block's packed q/k/v projection (C to 3C, {@link BlockLinear#QKV}). The engine packs the
 * three projections into one matrix for speed; a model that was written with three, as the relaxed transformer's
 * authors' is, relaxes each of them on its own.
 *
 * @since 0.6.0
 */
public enum QkvLora {

    /**
     * One LoRA of the whole (3C, C) matrix ({@link LoraLinear}): {@code name.lora_a} (r, C), {@code name.lora_b}
     * (3C, r).
     */
    FUSED(List.of()),
    /**
     * One LoRA per projection, on the q, k and v row blocks of the matrix ({@link SplitLoraLinear}):
     * {@code name.q.lora_a} (r, C), {@code name.q.lora_b} (C, r), likewise {@code name.k}, {@code name.v}.
     */
    SEPARATE(List.of("q", "k", "v"));

    private final List<String> slices;

    QkvLora(List<String> slices) {
        this.slices = slices;
    }

    /** The slices with a LoRA each, in the packed order q, k, v; none when one LoRA covers the whole matrix. */
    public List<String> slices() {
        return slices;
    }

    /** How many LoRAs relax the projection: 1, or one per slice. */
    public int pieces() {
        return Math.max(1, slices.size());
    }

    /**
     * The relaxed q/k/v map over {@code base} at rank r, already capped at full rank: a q/k/v slice (C, C) has the
     * same full rank C as the whole (3C, C) matrix, so {@link BlockLinear#rank} caps both.
     */
    LinearMap relax(ParameterSet parameters, String name, LinearMap base, int rank, SplittableRandom random) {
        return this == FUSED ? LoraLinear.create(parameters, name, base, rank, random)
                : SplitLoraLinear.create(parameters, name, base, slices, rank, random);
    }
}
