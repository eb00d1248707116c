package org.recursa.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/** Finite-difference checks of every op's hand-written backward pass, in double precision on tiny shapes. */
class OpGradientTest {

    private final SplittableRandom random = new SplittableRandom(20261124);

    @Test
    void linear() {
        Var x = GradientCheck.random(random, 1, 5, 4);
        Var w = GradientCheck.random(random, 1, 3, 4);
        Var b = GradientCheck.random(random, 1, 3);
        GradientCheck.check("linear", GradientCheck.weighted(t -> Linear.apply(t, x, w, b), 1), List.of(x, w, b));
        GradientCheck.check("linear without bias", GradientCheck.weighted(t -> Linear.apply(t, x, w, null), 2), List.of(x, w));
    }

    @Test
    void embeddingWithRepeatedIds() {
        Var table = GradientCheck.random(random, 1, 6, 4);
        int[] ids = {0, 3, 3, 5, 1, 3};
        GradientCheck.check("embedding", GradientCheck.weighted(t -> Embedding.apply(t, table, ids), 3), List.of(table));
    }

    @Test
    void layerNorm() {
        Var x = GradientCheck.random(random, 2, 4, 6);
        Var gamma = GradientCheck.random(random, 1, 6);
        Var beta = GradientCheck.random(random, 1, 6);
        GradientCheck.check("layer norm", GradientCheck.weighted(t -> Norms.layerNorm(t, x, gamma, beta, 1e-5), 4),
                List.of(x, gamma, beta));
    }

    @Test
    void rmsNormWithoutAffineParameters() {
        Var x = GradientCheck.random(random, 2, 4, 6);
        GradientCheck.check("rms norm", GradientCheck.weighted(t -> Norms.rmsNorm(t, x, 1e-6), 22), List.of(x));
        // each row comes out with a mean square of 1 (up to eps)
        var y = Norms.rmsNorm(Tape.inference(), x, 1e-12).value();
        for (int row = 0; row < 4; row++) {
            assertThat(y.getRow(row).mul(y.getRow(row)).meanNumber().doubleValue())
                    .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    @Test
    void siluIsXTimesItsSigmoid() {
        Var x = GradientCheck.random(random, 2, 3, 5);
        GradientCheck.check("silu", GradientCheck.weighted(t -> Activations.silu(t, x), 23), List.of(x));
        var y = Activations.silu(Tape.inference(), x).value();
        for (int i = 0; i < 15; i++) {
            double v = x.value().getDouble(i);
            assertThat(y.getDouble(i)).isCloseTo(v / (1 + Math.exp(-v)), org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void activations() {
        Var x = GradientCheck.random(random, 2, 3, 5);
        GradientCheck.check("gelu", GradientCheck.weighted(t -> Activations.gelu(t, x), 6), List.of(x));
        GradientCheck.check("sigmoid", GradientCheck.weighted(t -> Activations.sigmoid(t, x), 7), List.of(x));
    }

    @Test
    void geluIsTheTanhFormula() {
        Var x = GradientCheck.random(random, 3, 50);
        var y = Activations.gelu(org.recursa.engine.Tape.inference(), x).value();
        for (int i = 0; i < 50; i++) {
            double v = x.value().getDouble(i);
            double expected = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            org.assertj.core.api.Assertions.assertThat(y.getDouble(i)).isCloseTo(expected,
                    org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void elementwise() {
        Var a = GradientCheck.random(random, 1, 4, 3);
        Var b = GradientCheck.random(random, 1, 4, 3);
        Var s = GradientCheck.random(random, 1, 4, 1);
        GradientCheck.check("add", GradientCheck.weighted(t -> Elementwise.add(t, a, b), 8), List.of(a, b));
        GradientCheck.check("mul", GradientCheck.weighted(t -> Elementwise.mul(t, a, b), 9), List.of(a, b));
        GradientCheck.check("mulColumn", GradientCheck.weighted(t -> Elementwise.mulColumn(t, a, s), 10), List.of(a, s));
        Var r = GradientCheck.random(random, 1, 1, 3);
        GradientCheck.check("mulRow", GradientCheck.weighted(t -> Elementwise.mulRow(t, a, r), 21), List.of(a, r));
        Var gains = GradientCheck.random(random, 1, 3);
        GradientCheck.check("mulRow by a vector", GradientCheck.weighted(t -> Elementwise.mulRow(t, a, gains), 22),
                List.of(a, gains));
        GradientCheck.check("scale+shift", GradientCheck.weighted(t -> Elementwise.shift(t, Elementwise.scale(t, a, -1.5), 2),
                11), List.of(a));
        Var alpha = GradientCheck.random(random, 1, 1, 1);
        GradientCheck.check("scaleBy", GradientCheck.weighted(t -> Elementwise.scaleBy(t, a, alpha), 18),
                List.of(a, alpha));
        GradientCheck.check("mean", t -> Elementwise.mean(t, Elementwise.mul(t, a, b)), List.of(a, b));
    }

    @Test
    void tiledAddSumsTheBlocksGradient() {
        Var a = GradientCheck.random(random, 1, 6, 3);
        Var s = GradientCheck.random(random, 1, 2, 3);
        GradientCheck.check("addTiled", GradientCheck.weighted(t -> Elementwise.addTiled(t, a, s), 19), List.of(a, s));
        var y = Elementwise.addTiled(org.recursa.engine.Tape.inference(), a, s).value();
        for (int row = 0; row < 6; row++) {
            org.assertj.core.api.Assertions.assertThat(y.getRow(row).sub(a.value().getRow(row)).equalsWithEps(
                    s.value().getRow(row % 2), 1e-12)).as("row %d", row).isTrue();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Elementwise.addTiled(
                org.recursa.engine.Tape.inference(), a, GradientCheck.random(random, 1, 4, 3)))
                .hasMessageContaining("cannot tile [4, 3] over [6, 3]");
    }

    @Test
    void columnsAreLaidSideBySideAndEachPartGetsItsColumnsOfTheGradient() {
        Var a = GradientCheck.random(random, 1, 4, 2);
        Var b = GradientCheck.random(random, 1, 4, 3);
        Var c = GradientCheck.random(random, 1, 4, 1);
        GradientCheck.check("concat", GradientCheck.weighted(t -> Columns.concat(t, a, b, c), 20), List.of(a, b, c));
        GradientCheck.check("concat with a part twice", GradientCheck.weighted(t -> Columns.concat(t, a, b, a), 21),
                List.of(a, b));
        INDArray y = Columns.concat(Tape.inference(), a, b, c).value();
        assertThat(y.shape()).containsExactly(4, 6);
        assertThat(y.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5))).isEqualTo(b.value());
        assertThat(y.getColumn(5).toDoubleVector()).containsExactly(c.value().toDoubleVector());
        assertThatThrownBy(() -> Columns.concat(Tape.inference(), a, GradientCheck.random(random, 1, 3, 2)))
                .hasMessageContaining("cannot put [3, 2] beside 4 rows");
    }

    @Test
    void crossEntropyWithIgnoredPositions() {
        Var logits = GradientCheck.random(random, 2, 5, 4);
        int[] targets = {1, CrossEntropy.IGNORE, 3, 0, CrossEntropy.IGNORE};
        GradientCheck.check("cross entropy", t -> CrossEntropy.apply(t, logits, targets), List.of(logits));
    }

    @Test
    void causalAttentionWithPadding() {
        int batch = 2;
        int length = 3;
        Var qkv = GradientCheck.random(random, 1, batch * length, 3 * 4);
        var keep = Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 1, 0}}).castTo(DataType.DOUBLE);
        GradientCheck.check("causal attention", GradientCheck.weighted(
                t -> Attention.apply(t, qkv, batch, length, 2, true, keep), 12), List.of(qkv));
        GradientCheck.check("full attention", GradientCheck.weighted(
                t -> Attention.apply(t, qkv, batch, length, 2, false, null), 13), List.of(qkv));
    }

    @Test
    void attentionUnderAnExplicitMask() {
        int batch = 2;
        int length = 4;
        Var qkv = GradientCheck.random(random, 1, batch * length, 3 * 4);
        // Two groups (interleaved, then contiguous), causal inside each: the sliced group attention pattern.
        var mask = Nd4j.zeros(DataType.DOUBLE, batch, length, length);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < length; i++) {
                for (int j = 0; j < length; j++) {
                    if (j > i || (b == 0 ? i % 2 != j % 2 : i / 2 != j / 2)) {
                        mask.putScalar(new int[] {b, i, j}, Attention.MASKED);
                    }
                }
            }
        }
        GradientCheck.check("masked attention", GradientCheck.weighted(
                t -> Attention.apply(t, qkv, batch, length, 2, mask), 15), List.of(qkv));
    }

    @Test
    void rotaryPositionEmbeddings() {
        int batch = 2;
        int length = 5;
        Var qkv = GradientCheck.random(random, 1, batch * length, 3 * 8);
        GradientCheck.check("rotary", GradientCheck.weighted(t -> Rotary.apply(t, qkv, batch, length, 2), 18),
                List.of(qkv));
    }

    @Test
    void rotaryScoresDependOnRelativePositionsAndLeaveValuesAlone() {
        int length = 6;
        int width = 8;
        double[] q = GradientCheck.random(random, 1, width).value().toDoubleVector();
        double[] k = GradientCheck.random(random, 1, width).value().toDoubleVector();
        double[][] rows = new double[length][3 * width];
        for (double[] row : rows) {
            System.arraycopy(q, 0, row, 0, width);
            System.arraycopy(k, 0, row, width, width);
            java.util.Arrays.fill(row, 2 * width, 3 * width, 0.5);
        }
        var packed = org.nd4j.linalg.factory.Nd4j.createFromArray(rows);
        var rotated = Rotary.apply(org.recursa.engine.Tape.inference(), Var.constant(packed), 1, length, 2).value();
        java.util.function.BiFunction<Integer, Integer, Double> score = (s, t) -> rotated.getRow(s)
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, width)).mul(rotated.getRow(t)
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(width, 2 * width))).sumNumber().doubleValue();
        double unrotated = 0;
        for (int i = 0; i < width; i++) {
            unrotated += q[i] * k[i];
        }
        org.assertj.core.api.Assertions.assertThat(score.apply(3, 1)).isCloseTo(score.apply(4, 2),
                org.assertj.core.api.Assertions.within(1e-12)).isCloseTo(score.apply(5, 3),
                org.assertj.core.api.Assertions.within(1e-12));
        org.assertj.core.api.Assertions.assertThat(score.apply(4, 4)).as("same position: no net rotation")
                .isCloseTo(unrotated, org.assertj.core.api.Assertions.within(1e-12));
        org.assertj.core.api.Assertions.assertThat(Math.abs(score.apply(3, 1) - unrotated)).as("offset 2 rotates")
                .isGreaterThan(1e-6);
        org.assertj.core.api.Assertions.assertThat(rotated.getRow(0)).as("position 0 is not rotated")
                .isEqualTo(packed.getRow(0));
        org.assertj.core.api.Assertions.assertThat(rotated.getColumn(2 * width).toDoubleVector())
                .as("values pass through").containsOnly(0.5);
    }

    @Test
    void dropoutScalesKeptElements() {
        Var x = GradientCheck.random(random, 1, 4, 5);
        GradientCheck.check("dropout", GradientCheck.weighted(t -> Dropout.apply(t, x, 0.3, new SplittableRandom(5)), 14),
                List.of(x));
    }
}
