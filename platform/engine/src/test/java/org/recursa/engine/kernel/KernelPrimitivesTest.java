package org.recursa.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The building blocks under the float kernels: the fitted tanh, copies to and from views, strided products. */
class KernelPrimitivesTest {

    @Test
    void tanhIsWithinAFewFloatUlpsEverywhere() {
        double worst = 0;
        for (int i = -2_000_000; i <= 2_000_000; i++) {
            float x = i * 1e-5f;            // [-20, 20], past the clamp on both sides
            worst = Math.max(worst, Math.abs(Tanh.of(x) - Math.tanh(x)));
        }
        assertThat(worst).as("largest absolute error of the rational tanh").isLessThan(5e-7);
        assertThat(Tanh.of(1e30f)).isEqualTo(Tanh.of(8f));
        assertThat(Tanh.of(0f)).isZero();
    }

    @Test
    void denseMeansContiguousRowMajorWhateverTheStridesOfUnitDimensions() {
        assertThat(HeapFloats.denseRowMajor(Nd4j.createUninitialized(DataType.FLOAT, new long[] {3, 2, 1, 1}, 'c')))
                .as("fresh, with unit dimensions").isTrue();
        INDArray matrix = Nd4j.zeros(DataType.FLOAT, 4, 6);
        assertThat(HeapFloats.denseRowMajor(matrix)).isTrue();
        assertThat(HeapFloats.denseRowMajor(matrix.transpose())).as("transposed view").isFalse();
        assertThat(HeapFloats.denseRowMajor(matrix.getColumn(2))).as("a column").isFalse();
        assertThat(HeapFloats.denseRowMajor(matrix.getRow(1))).as("a row is contiguous").isTrue();
        assertThat(HeapFloats.denseRowMajor(matrix.dup('f'))).as("column-major copy").isFalse();
    }

    @Test
    void softmaxExpIsCloseToExpAndExactlyZeroForMaskedScores() {
        double worst = 0;
        for (int i = 0; i <= 3_000_000; i++) {
            float x = -i * 1e-5f;           // [-30, 0]
            worst = Math.max(worst, Math.abs(SoftmaxKernel.expNonPositive(x) - Math.exp(x)));
        }
        assertThat(worst).as("largest absolute error of exp on [-30, 0]").isLessThan(1e-6);
        assertThat(SoftmaxKernel.expNonPositive(0f)).isEqualTo(1f);
        assertThat(SoftmaxKernel.expNonPositive(-16f)).isZero();
        assertThat(SoftmaxKernel.expNonPositive(-1e9f)).isZero();
    }

    @Test
    void copiesReadAndWriteViewsInPlace() {
        INDArray whole = Nd4j.rand(DataType.FLOAT, 3, 4, 5);
        INDArray middle = whole.slice(1);
        float[] values = HeapFloats.read(middle, 0);
        assertThat(values[0]).isEqualTo(middle.getFloat(0, 0));
        assertThat(values[19]).isEqualTo(middle.getFloat(3, 4));
        double before = whole.slice(0).sumNumber().doubleValue() + whole.slice(2).sumNumber().doubleValue();
        java.util.Arrays.fill(values, 0, 20, 2f);
        HeapFloats.write(values, middle);
        assertThat(whole.slice(1).sumNumber().doubleValue()).isEqualTo(40.0);
        assertThat(whole.slice(0).sumNumber().doubleValue() + whole.slice(2).sumNumber().doubleValue())
                .as("neighbours untouched").isEqualTo(before);
        assertThatThrownBy(() -> HeapFloats.write(values, whole.transpose()))
                .hasMessageContaining("dense row-major");
    }

    @Test
    void batchedProductsOnSlicesMatchNd4j() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 6);
        INDArray into = Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 6);
        Blas.matmul(a.slice(1), true, b.slice(1), false, into.slice(1), 1, 0);
        INDArray expected = Nd4j.matmul(a.slice(1), b.slice(1), true, false, false);
        assertThat(into.slice(1).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(into.slice(0).amaxNumber().doubleValue()).as("other slice untouched").isZero();
        INDArray sums = Nd4j.ones(DataType.FLOAT, 6);
        Blas.addColumnSums(b.slice(0).slice(2), sums);
        assertThat(sums.sub(b.slice(0).slice(2).sum(0).addi(1)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }
}
