package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;

/**
 * Attention inside groups computed group by group ({@link AttentionScope#causalInGroups}) is the attention the same
 * rule gives under a full (B, T, T) mask ({@link AttentionScope#causalWhere}): the same outputs and gradients, in
 * double and in float (the kernels' path), with padding and with rotary positions, at a fraction of the length.
 */
class GroupedAttentionTest {

    private static final int WIDTH = 8;
    private static final int HEADS = 2;
    private static final int MAX_LENGTH = 11;

    private DataType previous;
    // B = 3, T = 9: one full row, one padded to 5 tokens, one of a single token
    private final int[][] rows = {{1, 2, 3, 4, 5, 6, 7, 8, 9}, {4, 5, 6, 7, 8}, {3}};

    @BeforeEach
    void remember() {
        previous = Precision.dataType();
    }

    @AfterEach
    void restore() {
        Precision.use(previous);
    }

    @ParameterizedTest(name = "{0}, {1} groups, rotary {2}")
    @CsvSource({"DOUBLE, 3, false", "DOUBLE, 2, true", "FLOAT, 3, false", "FLOAT, 4, true", "FLOAT, 1, false"})
    void givesTheOutputsAndGradientsOfTheMaskedAttention(DataType type, int groups, boolean rotary) {
        Precision.use(type);
        int[] groupOf = randomGroups(groups, new SplittableRandom(groups));
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 2e-6;
        Pass masked = pass(AttentionScope.causalWhere((q, k) -> groupOf[q] == groupOf[k]), rotary);
        Pass grouped = pass(AttentionScope.causalInGroups(groupOf), rotary);
        assertClose("output", grouped.output, masked.output, tolerance);
        for (int i = 0; i < masked.gradients.size(); i++) {
            assertClose("gradient " + i, grouped.gradients.get(i), masked.gradients.get(i), tolerance);
        }
    }

    @ParameterizedTest(name = "{0} groups")
    @CsvSource({"2", "3"})
    void gradientsMatchFiniteDifferences(int groups) {
        Precision.use(DataType.DOUBLE);
        int[] groupOf = randomGroups(groups, new SplittableRandom(7 + groups));
        SplittableRandom random = new SplittableRandom(11);
        ParameterSet parameters = new ParameterSet();
        SelfAttention attention = attention(parameters, random);
        Var x = GradientCheck.random(random, 1, rows.length * 9L, WIDTH);
        Function<Tape, Var> loss = GradientCheck.weighted(tape -> attention.apply(context(tape, true), x,
                AttentionScope.causalInGroups(groupOf)), 19);
        List<Var> inputs = new ArrayList<>(parameters.all());
        inputs.add(x);
        GradientCheck.check("attention in " + groups + " groups", loss, inputs);
    }

    @ParameterizedTest(name = "{0} groups")
    @CsvSource({"2, 5", "3, 3", "4, 3", "9, 1"})
    void eachGroupIsASequenceAsLongAsTheLargestGroup(int groups, int longest) {
        int[] contiguous = new int[9];
        for (int p = 0; p < contiguous.length; p++) {
            contiguous[p] = p * groups / contiguous.length;
        }
        GroupedAttention layout = GroupedAttention.of(TokenBatch.of(rows, 0), contiguous);
        INDArray qkv = GradientCheck.random(new SplittableRandom(1), 1, rows.length * 9L, 3 * WIDTH).value();
        Tape tape = Tape.inference();
        Var out = GroupedAttention.apply(tape, Var.constant(qkv), TokenBatch.of(rows, 0), HEADS, contiguous);
        assertThat(out.shape()).containsExactly(rows.length * 9L, WIDTH);
        assertThat(layout).extracting("length").isEqualTo(longest);
        assertThat(layout).extracting("sequences").isEqualTo(rows.length * groups);
    }

    private record Pass(INDArray output, List<INDArray> gradients) {
    }

    /** One forward and backward pass of the same attention, parameters and input under {@code scope}. */
    private Pass pass(AttentionScope scope, boolean rotary) {
        SplittableRandom random = new SplittableRandom(3);
        ParameterSet parameters = new ParameterSet();
        SelfAttention attention = attention(parameters, random);
        Var x = new Var(GradientCheck.random(random, 1, rows.length * 9L, WIDTH).value()
                .castTo(Precision.dataType()), true);
        Tape tape = Tape.training();
        Function<Tape, Var> loss = GradientCheck.weighted(t -> attention.apply(context(t, rotary), x, scope), 5);
        tape.backward(loss.apply(tape));
        Var output = attention.apply(context(Tape.inference(), rotary), x, scope);
        List<INDArray> gradients = new ArrayList<>();
        gradients.add(x.grad().dup());
        for (Parameter p : parameters.all()) {
            gradients.add(p.grad().dup());
        }
        return new Pass(output.value().dup(), gradients);
    }

    private static SelfAttention attention(ParameterSet parameters, SplittableRandom random) {
        SelfAttention attention = SelfAttention.create(parameters, "attn", WIDTH, HEADS, 0.5, 0.5, random);
        for (Parameter p : parameters.all()) {
            p.value().assign(GradientCheck.random(random, 0.5, p.shape()).value());
        }
        return attention;
    }

    private Context context(Tape tape, boolean rotary) {
        return new Context(tape, TokenBatch.of(rows, 0), 0, new SplittableRandom(5), rotary);
    }

    /** A random grouping of {@code 0..MAX_LENGTH-1}, longer than the batch as a model's groupings are. */
    private static int[] randomGroups(int groups, SplittableRandom random) {
        int[] groupOf = new int[MAX_LENGTH];
        for (int p = 0; p < MAX_LENGTH; p++) {
            groupOf[p] = random.nextInt(groups);
        }
        return groupOf;
    }

    private static void assertClose(String label, INDArray actual, INDArray expected, double tolerance) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertThat(actual.shape()).as(label).containsExactly(expected.shape());
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).as(label).isLessThan(tolerance * scale);
    }
}
