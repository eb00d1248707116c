package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Elementwise;

/**
 * The fused residual sum and layer norm ({@link AddNorm}): in double it is the separate ops, checked here by finite
 * differences; the float kernel must give what they give, values and every gradient, to float accuracy, whether
 * or not the sum has readers of its own.
 */
class AddNormTest {

    private static final double TOLERANCE = 2e-5;
    private static final int ROWS = 70;          // more than one streamed chunk at this width
    private static final int COLS = 96;

    private final SplittableRandom random = new SplittableRandom(20261130);

    @ParameterizedTest(name = "the sum read elsewhere too: {0}")
    @ValueSource(booleans = {true, false})
    void gradientsMatchFiniteDifferences(boolean sumRead) {
        List<Var> inputs = inputs(6, 5);
        GradientCheck.check("add + layer norm", loss(sumRead, inputs), inputs);
    }

    @ParameterizedTest(name = "the sum read elsewhere too: {0}")
    @ValueSource(booleans = {true, false})
    void floatKernelAgreesWithTheSeparateOps(boolean sumRead) {
        List<Var> reference = inputs(ROWS, COLS);
        List<Var> floats = new ArrayList<>();
        for (Var v : reference) {
            floats.add(new Var(v.value().castTo(DataType.FLOAT), true));
        }
        Tape doubles = Tape.training();
        Var expected = loss(sumRead, reference).apply(doubles);
        doubles.backward(expected);
        Tape kernel = Tape.training();
        Var actual = loss(sumRead, floats).apply(kernel);
        kernel.backward(actual);
        assertClose("loss", actual.value(), expected.value());
        for (int i = 0; i < reference.size(); i++) {
            assertClose("gradient of input " + i, floats.get(i).grad(), reference.get(i).grad());
        }
    }

    /** a, b (rows, cols), gamma and beta (cols), in double; gamma away from one, beta away from zero. */
    private List<Var> inputs(int rows, int cols) {
        Var a = GradientCheck.random(random, 1, rows, cols);
        Var b = GradientCheck.random(random, 2, rows, cols);
        Var gamma = GradientCheck.random(random, 0.5, cols);
        gamma.value().addi(1);
        Var beta = GradientCheck.random(random, 0.5, cols);
        return List.of(a, b, gamma, beta);
    }

    /** {@code sum(y * w1) [+ sum(s * w2)]} over the op's outputs, with fixed random weights of the inputs' type. */
    private static Function<Tape, Var> loss(boolean sumRead, List<Var> in) {
        INDArray like = in.get(0).value();
        INDArray w1 = GradientCheck.random(new SplittableRandom(1), 1, like.shape()).value().castTo(like.dataType());
        INDArray w2 = GradientCheck.random(new SplittableRandom(2), 1, like.shape()).value().castTo(like.dataType());
        return tape -> {
            AddNorm.Result r = AddNorm.apply(tape, in.get(0), in.get(1), in.get(2), in.get(3), LayerNorm.EPS);
            Var loss = Elementwise.sum(tape, Elementwise.mul(tape, r.normed(), Var.constant(w1)));
            return sumRead ? Elementwise.add(tape, loss,
                    Elementwise.sum(tape, Elementwise.mul(tape, r.sum(), Var.constant(w2)))) : loss;
        };
    }

    private static void assertClose(String label, INDArray actual, INDArray expected) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertThat(actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue()).as(label)
                .isLessThan(TOLERANCE * scale);
    }
}
