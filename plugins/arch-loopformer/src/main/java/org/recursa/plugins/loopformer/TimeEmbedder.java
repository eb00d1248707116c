package org.recursa.plugins.loopformer;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Dense;
import org.recursa.engine.ops.Activations;

/**
 * DiT's timestep embedder, which LoopFormer uses twice (for the time t and for the step size Δ): a scalar in [0, 1]
 * to its Fourier features, then Linear → SiLU → Linear to the model width. Parameters {@code name.in} (F → C) and
 * {@code name.out} (C → C).
 */
final class TimeEmbedder {

    /** DiT's and the authors' {@code max_period}: the slowest frequency is 1 / 10000. */
    static final double MAX_PERIOD = 10_000;

    private final Dense in;
    private final Dense out;
    private final int dims;

    private TimeEmbedder(Dense in, Dense out, int dims) {
        this.in = in;
        this.out = out;
        this.dims = dims;
    }

    static TimeEmbedder create(ParameterSet parameters, String name, int dims, int width, SplittableRandom random) {
        return new TimeEmbedder(Dense.create(parameters, name + ".in", dims, width, Block.Shape.STD, random),
                Dense.create(parameters, name + ".out", width, width, Block.Shape.STD, random), dims);
    }

    /** The embedding of {@code value}, (1, C). */
    Var apply(Tape tape, double value, DataType type) {
        Var features = Var.constant(fourier(value, dims, type));
        return out.apply(tape, Activations.silu(tape, in.apply(tape, features)));
    }

    /**
     * {@code [cos(v f_0), ..., cos(v f_{h-1}), sin(v f_0), ..., sin(v f_{h-1})]} with h = dims / 2 and
     * {@code f_i = exp(-ln(max_period) i / h)}; a zero appended when dims is odd, as DiT does. (1, dims).
     */
    static INDArray fourier(double value, int dims, DataType type) {
        int half = dims / 2;
        double[] features = new double[dims];
        for (int i = 0; i < half; i++) {
            double argument = value * Math.exp(-Math.log(MAX_PERIOD) * i / half);
            features[i] = Math.cos(argument);
            features[half + i] = Math.sin(argument);
        }
        return Nd4j.createFromArray(new double[][] {features}).castTo(type);
    }

    /** Parameters: F × C + C, then C × C + C. */
    static long parameters(int dims, int width) {
        return (long) dims * width + width + (long) width * width + width;
    }

    /** Multiply-adds of one embedding (per sequence). */
    static long flops(int dims, int width) {
        return 2L * ((long) dims * width + (long) width * width);
    }
}
