package org.recursa.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;

/** AdamW against its formula, and the float32 kernel against the double-precision reference path. */
class AdamWTest {

    private static final AdamW.Settings SETTINGS = new AdamW.Settings(0.9, 0.99, 1e-8, 0.1, 1.0);

    @Test
    void oneStepFollowsTheFormula() {
        ParameterSet set = new ParameterSet();
        Parameter w = set.add("w", org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1.0, -2.0}}));
        w.accumulate(org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.3, 0.4}}));   // norm 0.5: no clip
        new AdamW(set, SETTINGS).step(0.01);
        // Step 1: m^ = g, v^ = g^2, so the update is lr * g / (|g| + eps) = lr * sign(g), after decay by 1 - lr wd.
        assertThat(w.value().getDouble(0, 0)).isCloseTo(1.0 * (1 - 0.001) - 0.01, within(1e-9));
        assertThat(w.value().getDouble(0, 1)).isCloseTo(-2.0 * (1 - 0.001) - 0.01, within(1e-9));
    }

    @Test
    void floatKernelAgreesWithTheReference() {
        INDArray reference = train(DataType.DOUBLE);
        INDArray kernel = train(DataType.FLOAT);
        double error = kernel.castTo(DataType.DOUBLE).sub(reference).amaxNumber().doubleValue();
        assertThat(error).as("largest difference after 5 clipped steps").isLessThan(1e-6);
        INDArray moved = reference.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 35)).sub(start(DataType.DOUBLE).reshape(1, 35));
        assertThat(moved.amaxNumber().doubleValue()).as("the weights moved")
                .isGreaterThan(1e-3);
    }

    /** Five steps with gradients large enough to be clipped, on a matrix (decayed) and a vector (not decayed). */
    private static INDArray train(DataType type) {
        ParameterSet set = new ParameterSet();
        Parameter matrix = set.add("m", start(type));
        Parameter vector = set.add("v", GradientCheck.random(new SplittableRandom(2), 1, 7).value().castTo(type));
        AdamW optimizer = new AdamW(set, SETTINGS);
        SplittableRandom gradients = new SplittableRandom(3);
        for (int step = 0; step < 5; step++) {
            matrix.accumulate(GradientCheck.random(gradients, 2, 5, 7).value().castTo(type));
            vector.accumulate(GradientCheck.random(gradients, 2, 7).value().castTo(type));
            assertThat(optimizer.step(0.01)).isGreaterThan(SETTINGS.clipNorm());
        }
        return org.nd4j.linalg.factory.Nd4j.concat(1, matrix.value().reshape(1, 35), vector.value().reshape(1, 7))
                .castTo(DataType.DOUBLE);
    }

    private static INDArray start(DataType type) {
        return GradientCheck.random(new SplittableRandom(1), 1, 5, 7).value().castTo(type);
    }
}
