package org.recursa.engine;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.ops.Elementwise;

/**
 * Central finite-difference gradient check: every analytic gradient element must match
 * {@code (L(x + h) - L(x - h)) / 2h}. Run it in double precision ({@link Precision#use}); plugin authors use
 * it for their own ops, and the engine's tests use it for every op and every architecture.
 */
public final class GradientCheck {

    /** Step for the central difference; 1e-6 balances truncation and rounding error in double. */
    public static final double STEP = 1e-6;
    /** Relative tolerance: analytic and numeric must agree to this fraction of their magnitude... */
    public static final double TOLERANCE = 1e-5;
    /**
     * ...or to this absolute difference, the rounding error of a central difference of an O(1) loss in double
     * precision ({@code 1e-16 / STEP} is 1e-10; 1e-8 leaves margin). It matters only for gradients near zero.
     */
    public static final double ABSOLUTE = 1e-8;

    private GradientCheck() {
    }

    /** A double-precision variable with values drawn from N(0, scale^2). */
    public static Var random(SplittableRandom random, double scale, long... shape) {
        INDArray value = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < value.length(); i++) {
            double u = 1 - random.nextDouble();
            value.putScalar(i, Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()) * scale);
        }
        return new Var(value, true);
    }

    /** A scalar loss {@code sum(out * weights)} with fixed random weights, so that every output element matters. */
    public static Function<Tape, Var> weighted(Function<Tape, Var> op, long seed) {
        return tape -> {
            Var out = op.apply(tape);
            Var weights = Var.constant(random(new SplittableRandom(seed), 1.0, out.shape()).value());
            return Elementwise.sum(tape, Elementwise.mul(tape, out, weights));
        };
    }

    /** Checks every element of every input. */
    public static void check(String label, Function<Tape, Var> loss, List<? extends Var> inputs) {
        check(label, loss, inputs, Integer.MAX_VALUE, 0);
    }

    /**
     * Checks the gradients of {@code loss} with respect to {@code inputs}.
     *
     * @param label       names the op or model in failure messages
     * @param loss        builds a scalar from the inputs on the given tape
     * @param inputs      variables whose gradients are checked
     * @param perInput    at most this many elements per input, chosen at random (all if the input is smaller)
     * @param seed        chooses the elements
     * @throws AssertionError naming the input, element, analytic and numeric values at the first mismatch
     */
    public static void check(String label, Function<Tape, Var> loss, List<? extends Var> inputs, int perInput,
                             long seed) {
        inputs.forEach(Var::zeroGrad);
        Tape tape = Tape.training();
        tape.backward(loss.apply(tape));
        SplittableRandom choose = new SplittableRandom(seed);
        for (int n = 0; n < inputs.size(); n++) {
            Var input = inputs.get(n);
            INDArray analytic = input.hasGrad() ? input.grad().dup() : input.value().like();
            INDArray value = input.value();
            long count = Math.min(perInput, value.length());
            for (long c = 0; c < count; c++) {
                long i = count == value.length() ? c : choose.nextLong(value.length());
                double original = value.getDouble(i);
                // A training tape (never replayed) so that training-only ops such as dropout behave the same.
                value.putScalar(i, original + STEP);
                double plus = loss.apply(Tape.training()).value().getDouble(0);
                value.putScalar(i, original - STEP);
                double minus = loss.apply(Tape.training()).value().getDouble(0);
                value.putScalar(i, original);
                double numeric = (plus - minus) / (2 * STEP);
                double exact = analytic.getDouble(i);
                double difference = Math.abs(numeric - exact);
                if (!(difference <= ABSOLUTE + TOLERANCE * (Math.abs(numeric) + Math.abs(exact)))) {
                    throw new AssertionError(label + ": input " + describe(input, n) + " element " + i + ": analytic "
                            + exact + " vs numeric " + numeric + " (difference " + difference + ")");
                }
            }
        }
    }

    private static String describe(Var input, int index) {
        return input instanceof Parameter p ? p.name() : "#" + index;
    }
}
