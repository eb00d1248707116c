package org.recursa.engine.nn;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;

/**
 * The four weight matrices of a block, {@code name.attn.qkv.weight} and so on, owned apart from any block so that
 * blocks at several depths can share them ({@link Block#withSharedWeights}).
 *
 * @since 0.4.0
 */
public final class BlockWeights {

    private final Map<BlockLinear, Parameter> matrices;

    private BlockWeights(Map<BlockLinear, Parameter> matrices) {
        this.matrices = matrices;
    }

    /**
     * Creates the matrices (out, in) in {@link BlockLinear} order, initialised as GPT-2 does: N(0, 0.02²), and
     * N(0, projectionStd²) for the maps that end a residual branch.
     */
    public static BlockWeights create(ParameterSet parameters, String name, Block.Shape shape, double projectionStd,
                                      SplittableRandom random) {
        Map<BlockLinear, Parameter> matrices = new EnumMap<>(BlockLinear.class);
        for (BlockLinear linear : BlockLinear.values()) {
            double std = linear.endsBranch() ? projectionStd : Block.Shape.STD;
            matrices.put(linear, parameters.add(name + "." + linear.path() + ".weight",
                    Init.linearWeight(random, std, linear.in(shape), linear.out(shape))));
        }
        return new BlockWeights(matrices);
    }

    /** The weight (out, in) of one map. */
    public Parameter get(BlockLinear linear) {
        return matrices.get(linear);
    }
}
