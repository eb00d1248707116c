package org.recursa.plugins.recurrentdepth;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a recurrent-depth pass draws at random: the number of recursions r of a training step and the initial latent
 * state. At a training step both come from sources seeded by the model's seed and the step alone, so that a resumed
 * run draws what an uninterrupted one would; an inference pass draws its state from a constant seed, the same every
 * time (evaluation and decoding are deterministic, and a loaded checkpoint computes what the saved model did).
 */
final class Draws {

    /** Streams of one (seed, step): the recurrence count and the initial state draw independently. */
    static final long RECURRENCE = 0x52ECL;
    static final long STATE = 0x57A7EL;
    /** The seed of the initial state outside training: the same for every model, so it travels with checkpoints. */
    static final long INFERENCE_SEED = 0x1D0C5EEDL;
    /** Truncation of the initial state's normal, in standard deviations (torch.nn.init.trunc_normal_'s a and b). */
    static final double TRUNCATION = 3.0;

    private Draws() {
    }

    /** The source of stream {@code stream} at training step {@code step} (-1 outside training) of seed {@code seed}. */
    static SplittableRandom source(long seed, int step, long stream) {
        // SplittableRandom mixes its state on every output, so distinct odd-multiplied seeds give unrelated streams.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (step + 2L) * 0xC2B2AE3D27D4EB4FL ^ stream);
    }

    /**
     * r from a Poisson-log-normal with mean {@code mean}: tau ~ N(log(mean) - sigma^2/2, sigma^2), so that
     * E[exp(tau)] = mean, then r ~ Poisson(exp(tau)), clamped to [1, max]. With sigma 0 it is a Poisson draw of rate
     * mean.
     */
    static int recurrence(double mean, double sigma, int max, SplittableRandom random) {
        double tau = Math.log(mean) - sigma * sigma / 2 + sigma * random.nextGaussian();
        return Math.max(1, poisson(Math.exp(tau), max, random));
    }

    /**
     * A Poisson draw of rate {@code rate}, counting unit-rate arrivals before time {@code rate}; stops counting past
     * {@code cap}, so a huge rate costs at most cap + 1 draws.
     */
    static int poisson(double rate, int cap, SplittableRandom random) {
        int count = 0;
        double time = -Math.log(1 - random.nextDouble());
        while (time <= rate && count < cap) {
            count++;
            time -= Math.log(1 - random.nextDouble());
        }
        return count;
    }

    /** N(0, std^2) truncated to [-3 std, 3 std] by redrawing, as Huginn's trunc_normal_ initial state. */
    static double truncatedNormal(double std, SplittableRandom random) {
        double z;
        do {
            z = random.nextGaussian();
        } while (Math.abs(z) > TRUNCATION);
        return z * std;
    }

    /** (rows, width) of independent truncated normals, row after row. */
    static INDArray state(long rows, int width, double std, SplittableRandom random, DataType type) {
        double[] values = new double[Math.toIntExact(rows * width)];
        for (int i = 0; i < values.length; i++) {
            values[i] = truncatedNormal(std, random);
        }
        return Nd4j.create(values, new long[] {rows, width}, 'c').castTo(type);
    }

    /**
     * (batch * length, width): one row per position drawn in order of position and given to that position in every
     * sequence, so a position's state depends on neither the batch nor the padded length (a row alone decodes as it
     * does in any batch).
     */
    static INDArray statePerPosition(int batch, int length, int width, double std, SplittableRandom random,
                                     DataType type) {
        INDArray positions = state(length, width, std, random, type);             // (T, C)
        return Nd4j.tile(positions, batch, 1);
    }

    /**
     * (N, width): row i is what {@link #statePerPosition} gives position {@code positions[i]}, for tokens decoded
     * incrementally at their own positions.
     */
    static INDArray stateAtPositions(int[] positions, int width, double std, SplittableRandom random,
                                     DataType type) {
        int longest = 0;
        for (int position : positions) {
            longest = Math.max(longest, position + 1);
        }
        return state(longest, width, std, random, type).getRows(positions);
    }
}
