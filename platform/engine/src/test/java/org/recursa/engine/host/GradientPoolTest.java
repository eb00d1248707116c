package org.recursa.engine.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Parameter;
import org.recursa.engine.Var;

/** What the gradient pool recycles, and what it must never hand out again. */
class GradientPoolTest {

    @Test
    void aReleasedArrayServesTheNextRequestOfItsShapeOnly() {
        INDArray first = GradientPool.take(DataType.FLOAT, 7, 5);
        assertThat(first.shape()).containsExactly(7, 5);
        assertThat(first.ordering()).isEqualTo('c');
        assertThat(GradientPool.release(first)).isTrue();
        assertThat(GradientPool.take(DataType.FLOAT, 5, 7)).as("other shape").isNotSameAs(first);
        assertThat(GradientPool.take(DataType.DOUBLE, 7, 5)).as("other type").isNotSameAs(first);
        assertThat(GradientPool.take(DataType.FLOAT, 7, 5)).isSameAs(first);
        assertThat(GradientPool.take(DataType.FLOAT, 7, 5)).as("handed out once").isNotSameAs(first);
    }

    @Test
    void scratchArraysViewsAndColumnMajorArraysAreNeverTakenBack() {
        try (Scratch scratch = Scratch.open("pool-test")) {
            INDArray inScratch = Nd4j.createUninitialized(DataType.FLOAT, 3, 4);
            assertThat(GradientPool.release(inScratch)).as("lives in a scratch").isFalse();
        }
        INDArray whole = Nd4j.zeros(DataType.FLOAT, 6, 4);
        assertThat(GradientPool.release(whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))))
                .as("view").isFalse();
        assertThat(GradientPool.release(Nd4j.zeros(DataType.FLOAT, 3, 4).dup('f'))).as("column-major").isFalse();
        assertThat(GradientPool.release(null)).isFalse();
    }

    @Test
    void releasingAVariablesGradientForgetsItAndRecyclesTheBuffer() {
        Var v = new Var(Nd4j.ones(DataType.FLOAT, 2, 3), true);
        INDArray delta = GradientPool.take(DataType.FLOAT, 2, 3).assign(4);
        Gradients.adopt(v, delta);
        assertThat(v.grad()).as("adopted").isSameAs(delta);
        Gradients.release(v);
        assertThat(v.hasGrad()).isFalse();
        assertThat(v.grad().sumNumber().doubleValue()).as("a later read gives zeros").isZero();
        assertThat(GradientPool.take(DataType.FLOAT, 2, 3)).isSameAs(delta);
    }

    @Test
    void anAddedDeltaIsRecycledAndTheSumKept() {
        Var v = new Var(Nd4j.ones(DataType.FLOAT, 2, 3), true);
        v.accumulate(Nd4j.ones(DataType.FLOAT, 2, 3));
        INDArray delta = GradientPool.take(DataType.FLOAT, 2, 3).assign(2);
        Gradients.adopt(v, delta);
        assertThat(v.grad().sumNumber().doubleValue()).isEqualTo(18.0);
        assertThat(v.grad()).isNotSameAs(delta);
        assertThat(GradientPool.take(DataType.FLOAT, 2, 3)).as("the added delta is free again").isSameAs(delta);
    }

    @Test
    void aParametersGradientIsNeverReleased() {
        Parameter p = new Parameter("w", Nd4j.ones(DataType.FLOAT, 2, 2));
        INDArray gradient = p.grad();
        Gradients.release(p);
        assertThat(p.grad()).isSameAs(gradient);
    }
}
