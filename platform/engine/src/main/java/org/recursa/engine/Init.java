package org.recursa.engine;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded weight initialisation. Values are drawn in Java from a {@link SplittableRandom}, not from ND4J's
 * global generator, so that a model's initial weights depend on its seed alone.
 */
public final class Init {

    private Init() {
    }

    /** Values from N(0, std^2), in the current {@link Precision}. */
    public static INDArray normal(SplittableRandom random, double std, long... shape) {
        float[] data = new float[(int) length(shape)];
        for (int i = 0; i < data.length; i += 2) {
            // Box-Muller gives two independent normals per pair of uniforms.
            double u = 1 - random.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u)) * std;
            double angle = 2 * Math.PI * random.nextDouble();
            data[i] = (float) (radius * Math.cos(angle));
            if (i + 1 < data.length) {
                data[i + 1] = (float) (radius * Math.sin(angle));
            }
        }
        return Nd4j.create(data, shape, 'c').castTo(Precision.dataType());
    }

    /**
     * A linear weight (out, in) from N(0, std^2), drawn in (in, out) order: the values a seed gave when the engine
     * stored linear weights (in, out), so seeded models and experiments start where they did.
     */
    public static INDArray linearWeight(SplittableRandom random, double std, long in, long out) {
        return normal(random, std, in, out).transpose().dup('c');
    }

    /** An array filled with {@code value}, in the current {@link Precision}. */
    public static INDArray constant(double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, Precision.dataType());
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
