package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Init;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.RowMap;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.Recorder;

/**
 * Recording a pass for probes: one step per block application, named as the architecture says, in the pass's own
 * batch even when a block ran on a gathered sub-batch; attention maps that are the op's; nothing changes the
 * pass's result, and without a recorder nothing is allocated for it.
 */
class RecordingTest {

    private static final Block.Shape SHAPE = new Block.Shape(8, 2, 12);
    /** Rows of lengths 4 and 2 (padded to 4). */
    private static final int[][] ROWS = {{3, 4, 5, 6}, {7, 3}};
    /** The gathered sub-batch: positions 1 and 3 of the first sequence, position 0 of the second. */
    private static final int[] GATHERED = {1, 3, 4, RowMap.ZERO};

    private DataType previous;

    @BeforeEach
    void useDouble() {
        previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
    }

    @AfterEach
    void restore() {
        Precision.use(previous);
    }

    @Test
    void recordsOneStepPerBlockApplicationNamedAsTheArchitectureSays() {
        List<Recorder.Step> steps = record();
        assertThat(steps).extracting(Recorder.Step::name)
                .containsExactly("embed", "layer.1", "recursion.1", "recursion.1#2", "gathered");
        assertThat(steps).extracting(Recorder.Step::order).containsExactly(0, 1, 2, 3, 4);
        for (Recorder.Step step : steps) {
            assertThat(step.hidden()).as(step.name()).hasNumberOfRows(8);
            assertThat(step.hidden()[0]).hasSize(SHAPE.width());
            assertThat(step.active()).hasSize(8);
        }
        assertThat(steps.get(0).attention()).isNull();
        for (Recorder.Step step : steps.subList(1, 4)) {
            assertThat(step.attention()).as(step.name()).hasDimensions(2, SHAPE.heads());
            assertThat(step.attention()[1][1]).hasDimensions(4, 4);
            // real tokens only; padding is never active
            assertThat(step.active()).containsExactly(true, true, true, true, true, true, false, false);
            for (int h = 0; h < SHAPE.heads(); h++) {
                for (int i = 0; i < 4; i++) {
                    double sum = 0;
                    for (int j = 0; j < 4; j++) {
                        sum += step.attention()[0][h][i][j];
                        if (j > i) {
                            assertThat(step.attention()[0][h][i][j]).as("causal").isZero();
                        }
                    }
                    assertThat(sum).isCloseTo(1.0, within(1e-6));
                }
                assertThat(step.attention()[1][h][1][2]).as("padding is no key").isCloseTo(0f, within(1e-9f));
            }
        }
    }

    @Test
    void aGatheredApplicationIsRecordedInThePassRows() {
        Recorder.Step gathered = record().get(4);
        assertThat(gathered.active()).containsExactly(false, true, false, true, true, false, false, false);
        for (int row : new int[] {0, 2, 5, 6, 7}) {
            assertThat(gathered.hidden()[row]).as("row %d was not computed", row).containsOnly(0f);
        }
        assertThat(gathered.hidden()[3]).isNotEqualTo(new float[SHAPE.width()]);
        for (int h = 0; h < SHAPE.heads(); h++) {
            float[][] first = gathered.attention()[0][h];
            assertThat(first[1][1]).isEqualTo(1f, within(1e-6f));                    // its only earlier key: itself
            assertThat(first[3][1] + first[3][3]).isEqualTo(1f, within(1e-6f));      // keys of the same recursion
            assertThat(first[3][2]).isZero();
            assertThat(first[1][3]).isZero();
            assertThat(gathered.attention()[1][h][0][0]).isEqualTo(1f, within(1e-6f));
        }
    }

    @Test
    void recordingChangesNothingInThePass() {
        for (PositionEncoding positions : PositionEncoding.values()) {
            Model model = new Model(new Block.Shape(SHAPE.width(), SHAPE.heads(), SHAPE.hidden(), positions));
            TokenBatch batch = TokenBatch.of(ROWS, 0);
            Forward plain = model.forward(Tape.inference(), batch);
            Forward recorded = model.forward(Tape.inference(), batch, step -> { });
            assertThat(recorded.logits().value()).as(positions.toString()).isEqualTo(plain.logits().value());
        }
    }

    @Test
    void withoutARecorderNamingReturnsTheSameContext() {
        Context context = new Context(Tape.inference(), TokenBatch.of(ROWS, 0), 0, new SplittableRandom(1));
        assertThat(context.recording()).isFalse();
        assertThat(context.at("recursion.1")).isSameAs(context);
        assertThat(context.at("recursion", 2)).isSameAs(context);
        assertThat(context.at("recursion.3", new boolean[8])).isSameAs(context);
    }

    @Test
    void probabilitiesReproduceTheAttentionOutput() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Precision.use(type);
            int batch = 2;
            int length = 5;
            int heads = 2;
            int width = 8;
            TokenBatch tokens = TokenBatch.of(new int[][] {{1, 2, 3, 4, 5}, {1, 2, 3}}, 0);
            INDArray qkv = Init.normal(new SplittableRandom(3), 1.0, batch * length, 3 * width);
            INDArray mask = Attention.mask(qkv, batch, length, true, tokens.keep());
            INDArray out = Attention.apply(Tape.inference(), Var.constant(qkv), batch, length, heads, mask).value();
            INDArray p = Attention.probabilities(qkv, batch, length, heads, mask);          // (B, H, T, T)
            assertThat(p.shape()).containsExactly(batch, heads, length, length);
            int size = width / heads;
            for (int b = 0; b < batch; b++) {
                for (int h = 0; h < heads; h++) {
                    INDArray v = qkv.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b * length, (b + 1) * length),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * width + h * size,
                                    2 * width + (h + 1) * size));
                    INDArray expected = out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b * length,
                            (b + 1) * length), org.nd4j.linalg.indexing.NDArrayIndex.interval(h * size,
                            (h + 1) * size));
                    INDArray mixed = p.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(h)).mmul(v);
                    double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
                    assertThat(mixed.sub(expected).amaxNumber().doubleValue()).as(type + " b%d h%d", b, h)
                            .isLessThan(tolerance);
                }
            }
        }
    }

    private static List<Recorder.Step> record() {
        List<Recorder.Step> steps = new ArrayList<>();
        new Model().forward(Tape.inference(), TokenBatch.of(ROWS, 0), steps::add);
        return steps;
    }

    /**
     * A block with the default name, a shared block applied twice under one name, and the shared block on a gathered
     * sub-batch, as a routed architecture runs it.
     */
    private static final class Model extends DecoderModel {

        private final Block first;
        private final Block shared;

        Model() {
            this(SHAPE);
        }

        Model(Block.Shape shape) {
            this(shape, new SplittableRandom(7));
        }

        private Model(Block.Shape shape, SplittableRandom init) {
            super(new ModelSpec(10, 4, 7), shape, 0, init);
            first = Block.create(parameters, "block.first", shape, Block.Shape.STD, init);
            shared = Block.create(parameters, "block.shared", shape, Block.Shape.STD, init);
        }

        @Override
        protected Body body(Context context, Var x) {
            Var h = first.apply(context, x);
            h = shared.apply(context.at("recursion", 1), h);
            h = shared.apply(context.at("recursion", 1), h);
            TokenBatch packed = new TokenBatch(new int[] {4, 6, 7, 0}, 2, 2,
                    Nd4j.create(new double[] {1, 1, 1, 0}, new long[] {2, 2}, 'c').castTo(Precision.dataType()),
                    new int[] {2, 1});
            Var routed = shared.apply(context.gathered(packed, GATHERED).at("gathered"),
                    RowMap.apply(context.tape(), h, GATHERED));
            return Body.of(org.recursa.engine.ops.Elementwise.add(context.tape(), h,
                    RowMap.apply(context.tape(), routed, RowMap.inverse(GATHERED, 8))));
        }

        @Override
        protected int[] layers() {
            return new int[] {2, 4};
        }

        @Override
        protected String architecture() {
            return "recording-test";
        }
    }
}
