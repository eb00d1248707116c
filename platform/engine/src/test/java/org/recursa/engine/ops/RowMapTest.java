package org.recursa.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/** The row move used to pack routed tokens: values, its inverse, and its backward pass by finite differences. */
class RowMapTest {

    private static final int Z = RowMap.ZERO;
    private final SplittableRandom random = new SplittableRandom(20260301);

    @Test
    void packsRowsWithZeroPaddingAndUnpacksThemBack() {
        Var x = GradientCheck.random(random, 1, 5, 3);
        int[] pack = {4, 0, Z, 2, Z, Z};
        var packed = RowMap.apply(Tape.inference(), x, pack).value();
        assertThat(packed.rows()).isEqualTo(6);
        assertThat(packed.getRow(0)).isEqualTo(x.value().getRow(4));
        assertThat(packed.getRow(3)).isEqualTo(x.value().getRow(2));
        assertThat(packed.getRow(2).norm1Number().doubleValue()).isZero();
        assertThat(RowMap.inverse(pack, 5)).containsExactly(1, Z, 3, Z, 0);
        var back = RowMap.apply(Tape.inference(), Var.constant(packed), RowMap.inverse(pack, 5)).value();
        assertThat(back.getRow(0)).isEqualTo(x.value().getRow(0));
        assertThat(back.getRow(1).norm1Number().doubleValue()).isZero();
    }

    @Test
    void floatRowsMoveInNativeMemoryAsTheReferenceMovesThem() {
        // float takes RowMoves (row copies in native memory), double ND4J's pullRows; an offset view as input
        INDArray values = GradientCheck.random(random, 1, 7, 5).value();
        INDArray view = values.get(NDArrayIndex.interval(2, 7), NDArrayIndex.all());
        int[] pack = {4, 0, Z, 2, Z, 3};
        Var reference = new Var(view.dup(), true);
        Var fast = new Var(values.castTo(DataType.FLOAT).get(NDArrayIndex.interval(2, 7), NDArrayIndex.all()), true);
        INDArray weights = GradientCheck.random(random, 1, pack.length, 5).value();
        for (Var x : List.of(reference, fast)) {
            Tape tape = Tape.training();
            Var moved = RowMap.apply(tape, x, pack);
            tape.backward(Elementwise.sum(tape, Elementwise.mul(tape, moved, Var.constant(
                    weights.castTo(x.value().dataType())))));
            assertThat(moved.value().castTo(DataType.DOUBLE).sub(RowMap.apply(Tape.inference(), reference, pack)
                    .value()).amaxNumber().doubleValue()).isLessThan(1e-6);
        }
        assertThat(fast.grad().castTo(DataType.DOUBLE).sub(reference.grad()).amaxNumber().doubleValue())
                .isLessThan(1e-6);
        assertThat(fast.grad().getRow(1).norm1Number().doubleValue()).as("row 1 went nowhere").isZero();
    }

    @Test
    void identityReturnsItsInputAndNoRowsGiveZeros() {
        Var x = GradientCheck.random(random, 1, 3, 2);
        assertThat(RowMap.apply(Tape.training(), x, new int[] {0, 1, 2})).isSameAs(x);
        assertThat(RowMap.apply(Tape.inference(), x, new int[] {Z, Z}).value().norm1Number().doubleValue()).isZero();
    }

    @Test
    void rejectsRepeatedOrOutOfRangeSourcesAndEmptyResults() {
        Var x = GradientCheck.random(random, 1, 3, 2);
        assertThatThrownBy(() -> RowMap.apply(Tape.inference(), x, new int[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowMap.apply(Tape.inference(), x, new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowMap.apply(Tape.inference(), x, new int[] {-2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowMap.apply(Tape.inference(), x, new int[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Var x = GradientCheck.random(random, 1, 5, 3);
        GradientCheck.check("row map pack", GradientCheck.weighted(t -> RowMap.apply(t, x, new int[] {4, 0, Z, 2, Z}),
                21), List.of(x));
        GradientCheck.check("row map permute", GradientCheck.weighted(t -> RowMap.apply(t, x,
                new int[] {3, 1, 4, 0, 2}), 22), List.of(x));
        Var packed = GradientCheck.random(random, 1, 4, 3);
        GradientCheck.check("row map unpack", GradientCheck.weighted(t -> RowMap.apply(t, packed,
                new int[] {Z, 2, Z, 0, 3, Z}), 23), List.of(packed));
    }
}
