package org.recursa.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/**
 * The float32 kernels (org.recursa.engine.kernel) against the double-precision reference ops that
 * {@link OpGradientTest} checks by finite differences: same inputs, same output weights, the outputs and every
 * input gradient must agree to float32 accuracy. Shapes are those of a training step, so that every row length
 * and loop tail the kernels see in training is covered.
 */
class KernelAgreementTest {

    private static final double TOLERANCE = 2e-5;

    private final SplittableRandom random = new SplittableRandom(20261125);

    @Test
    void gelu() {
        Var x = GradientCheck.random(random, 3, 64, 130);
        agree("gelu", inputs -> Activations.gelu(inputs.tape(), inputs.get(0)), List.of(x));
    }

    @Test
    void tiledAdd() {
        Var a = GradientCheck.random(random, 1, 6 * 9, 20);
        Var s = GradientCheck.random(random, 1, 9, 20);
        agree("tiled add", in -> Elementwise.addTiled(in.tape(), in.get(0), in.get(1)), List.of(a, s));
    }

    @Test
    void linearBiasGradient() {
        Var x = GradientCheck.random(random, 1, 70, 12);
        Var w = GradientCheck.random(random, 1, 33, 12);
        Var b = GradientCheck.random(random, 1, 33);
        agree("linear", in -> Linear.apply(in.tape(), in.get(0), in.get(1), in.get(2)), List.of(x, w, b));
    }

    @Test
    void layerNormWithAndWithoutBias() {
        Var x = GradientCheck.random(random, 2, 48, 40);
        Var gamma = GradientCheck.random(random, 1, 40);
        Var beta = GradientCheck.random(random, 1, 40);
        agree("layer norm", in -> Norms.layerNorm(in.tape(), in.get(0), in.get(1), in.get(2), 1e-5),
                List.of(x, gamma, beta));
        agree("layer norm without bias", in -> Norms.layerNorm(in.tape(), in.get(0), in.get(1), null, 1e-5),
                List.of(x, gamma));
    }

    @Test
    void causalAttentionWithPadding() {
        int batch = 3;
        int length = 7;
        Var qkv = GradientCheck.random(random, 1, batch * length, 3 * 8);
        INDArray keep = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {
                {1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 0}});
        agree("attention", in -> Attention.apply(in.tape(), in.get(0), batch, length, 2, true,
                keep.castTo(in.get(0).value().dataType())), List.of(qkv));
    }

    @Test
    void attentionOverSequencesOfOneToken() {
        // A router that sends at most one token of each sequence into a recursion gathers a batch of length 1:
        // score arrays of shape (B, H, 1, 1), whose unit dimensions ND4J gives non-default strides.
        int batch = 3;
        Var qkv = GradientCheck.random(random, 1, batch, 3 * 8);
        agree("attention of length 1", in -> Attention.apply(in.tape(), in.get(0), batch, 1, 2, true, null),
                List.of(qkv));
    }

    /** Inputs of one precision and the tape they are used on. */
    record Inputs(Tape tape, List<Var> vars) {
        Var get(int i) {
            return vars.get(i);
        }
    }

    /** Runs {@code op} in float32 (kernels) and double (reference) and compares outputs and input gradients. */
    private static void agree(String label, Function<Inputs, Var> op, List<Var> doubles) {
        Result reference = run(op, doubles, DataType.DOUBLE);
        Result kernel = run(op, doubles, DataType.FLOAT);
        close(label + " output", kernel.output, reference.output);
        for (int i = 0; i < doubles.size(); i++) {
            close(label + " gradient of input " + i, kernel.gradients.get(i), reference.gradients.get(i));
        }
    }

    private record Result(INDArray output, List<INDArray> gradients) {
    }

    private static Result run(Function<Inputs, Var> op, List<Var> doubles, DataType type) {
        List<Var> vars = doubles.stream().map(v -> new Var(v.value().castTo(type).dup(), true)).toList();
        Tape tape = Tape.training();
        Var out = op.apply(new Inputs(tape, vars));
        Var weights = Var.constant(GradientCheck.random(new SplittableRandom(7), 1, out.shape()).value().castTo(type));
        tape.backward(Elementwise.sum(tape, Elementwise.mul(tape, out, weights)));
        return new Result(out.value().castTo(DataType.DOUBLE),
                vars.stream().map(v -> v.grad().castTo(DataType.DOUBLE)).toList());
    }

    private static void close(String label, INDArray actual, INDArray expected) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double error = actual.sub(expected).amaxNumber().doubleValue();
        assertThat(error).as("%s: largest difference %.3g (largest value %.3g)", label, error, scale)
                .isLessThanOrEqualTo(TOLERANCE * scale);
    }
}
