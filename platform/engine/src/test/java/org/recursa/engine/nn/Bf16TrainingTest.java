package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.host.Bf16Support;
import org.recursa.engine.host.EngineStart;
import org.recursa.engine.host.ProductPrecision;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.optim.AdamW;

/**
 * A short training run with bf16 layer products follows the float32 run from the same weights and batches: the
 * same losses within bf16's rounding, and falling. The master weights and the optimiser stay float32, so the two
 * runs drift apart only by the products' rounding.
 */
class Bf16TrainingTest {

    private static final int STEPS = 40;
    private static final int VOCABULARY = 16;
    private static final int LENGTH = 16;
    private static final int BATCH = 16;
    /** Largest difference of a step's loss between the runs, in nats (the losses start near ln 16 = 2.8). */
    private static final double LOSS_TOLERANCE = 0.05;

    @Test
    void lossesFollowTheFloat32RunAndFall() {
        assumeThat(Bf16Support.missingHere()).as("this CPU has AVX512-BF16 or AMX").isEmpty();
        EngineStart.start();
        double[] float32 = train(ProductPrecision.FLOAT32);
        double[] bf16 = train(ProductPrecision.BF16);
        for (int step = 0; step < STEPS; step++) {
            assertThat(Math.abs(bf16[step] - float32[step])).as("step %d: bf16 %s, float32 %s", step,
                    Arrays.toString(bf16), Arrays.toString(float32)).isLessThan(LOSS_TOLERANCE);
        }
        assertThat(bf16[STEPS - 1]).as("bf16 losses %s", Arrays.toString(bf16)).isLessThan(bf16[0] - 1.0);
        assertThat(bf16).as("bf16 changes the products").isNotEqualTo(float32);
        assertThat(ProductPrecision.current()).as("the scope restored float32").isEqualTo(ProductPrecision.FLOAT32);
    }

    /** Losses of {@link #STEPS} steps on counting sequences (each token the previous plus one). */
    private static double[] train(ProductPrecision precision) {
        Model model = new Model();
        AdamW optimizer = new AdamW(model.parameters(), AdamW.Settings.defaults());
        SplittableRandom data = new SplittableRandom(5);
        double[] losses = new double[STEPS];
        try (ProductPrecision.Scope scope = precision.use()) {
            for (int step = 0; step < STEPS; step++) {
                int[][] inputs = new int[BATCH][LENGTH];
                int[] targets = new int[BATCH * LENGTH];
                for (int b = 0; b < BATCH; b++) {
                    int token = data.nextInt(VOCABULARY - 3);
                    for (int t = 0; t <= LENGTH; t++) {
                        int value = 3 + (token + t) % (VOCABULARY - 3);
                        if (t < LENGTH) {
                            inputs[b][t] = value;
                        }
                        if (t > 0) {
                            targets[b * LENGTH + t - 1] = value;
                        }
                    }
                }
                try (Scratch scratch = Scratch.open("train")) {
                    Tape tape = Tape.training();
                    Var loss = CrossEntropy.apply(tape, model.forward(tape, TokenBatch.of(inputs, 0)).logits(),
                            targets);
                    losses[step] = loss.value().getDouble(0);
                    tape.backward(loss);
                    optimizer.step(3e-3);
                }
            }
        }
        return losses;
    }

    /** Two pre-norm blocks of width 64, FFN 256: every product big enough to take the bf16 path. */
    private static final class Model extends DecoderModel {

        private final Block first;
        private final Block second;

        Model() {
            this(new SplittableRandom(3));
        }

        private Model(SplittableRandom init) {
            this(new Block.Shape(64, 4, 256), init);
        }

        private Model(Block.Shape shape, SplittableRandom init) {
            super(new ModelSpec(VOCABULARY, LENGTH, 3), shape, 0, init);
            first = Block.create(parameters, "block.first", shape, Block.Shape.STD, init);
            second = Block.create(parameters, "block.second", shape, Block.Shape.STD, init);
        }

        @Override
        protected Body body(Context context, Var x) {
            return Body.of(second.apply(context, first.apply(context, x)));
        }

        @Override
        protected int[] layers() {
            return new int[] {0, 1};
        }

        @Override
        protected String architecture() {
            return "bf16-test";
        }
    }
}
