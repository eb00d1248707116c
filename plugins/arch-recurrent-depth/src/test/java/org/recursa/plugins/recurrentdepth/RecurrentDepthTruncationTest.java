package org.recursa.plugins.recurrentdepth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.Parameter;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.Supervision;

/**
 * Truncated backpropagation: a training pass back-propagates through its last backprop_depth recursions only. The
 * forward pass and everything after the recursions (coda, norm, head) are untouched; what the recursions feed (the
 * recurrent blocks, the adapter, the prelude and embeddings) gets less gradient; with backprop_depth >= r it is the
 * full gradient, which the TCK checks against finite differences. PyTorch parity of the truncated gradients is in
 * RecurrentDepthTorchParityTest.
 */
class RecurrentDepthTruncationTest {

    private static final TokenBatch BATCH = TokenBatch.of(new int[][] {{3, 4, 5, 6, 1}, {5, 3, 1}}, 0);
    private static final int[] TARGETS = {4, 5, 6, 1, -100, 3, 1, -100, -100, -100};

    @Test
    void onlyTheLastRecursionsAreBackPropagatedThrough() {
        inDouble(() -> {
            Map<String, INDArray> full = gradients(Map.of("backprop_depth", "5"), 5);
            Map<String, INDArray> truncated = gradients(Map.of("backprop_depth", "2"), 5);
            Map<String, INDArray> deeper = gradients(Map.of("backprop_depth", "9"), 5);
            for (String name : full.keySet()) {
                assertThat(deeper.get(name)).as("backprop_depth >= r: %s", name).isEqualTo(full.get(name));
                boolean afterTheLoop = name.startsWith("coda.") || name.startsWith("final_norm.")
                        || name.startsWith("head.");
                if (afterTheLoop) {
                    assertThat(truncated.get(name)).as("after the loop: %s", name).isEqualTo(full.get(name));
                } else {
                    assertThat(truncated.get(name)).as("fed into the loop: %s", name).isNotEqualTo(full.get(name));
                    assertThat(truncated.get(name).norm2Number().doubleValue()).as(name).isPositive();
                }
            }
        });
    }

    @Test
    void aTruncatedPassComputesTheSameOutput() {
        inDouble(() -> {
            RecurrentModel full = model(Map.of("backprop_depth", "5"));
            RecurrentModel truncated = model(Map.of("backprop_depth", "2"));
            ForwardOptions options = new ForwardOptions(5, null, 7, null);
            Forward a = full.forward(Tape.training(), BATCH, options);
            Forward b = truncated.forward(Tape.training(), BATCH, options);
            assertThat(b.logits().value()).isEqualTo(a.logits().value());
            assertThat(b.stats()).containsEntry("recurrence", 5.0).containsEntry("backprop_depth", 2.0);
            assertThat(full.forward(Tape.inference(), BATCH, options).stats()).as("inference keeps every recursion")
                    .containsEntry("backprop_depth", 5.0);
        });
    }

    @Test
    void theGradientOfAStepEqualsThatOfThePassWithoutAStepWhenNothingIsDrawn() {
        // The PyTorch mirror is compared with the pass without a step; this says a training step computes the same
        // when r is not drawn and the state is zero.
        inDouble(() -> {
            Map<String, String> fixed = Map.of("backprop_depth", "2", "sample_recurrence", "false");
            Map<String, INDArray> atStep = gradients(fixed, new ForwardOptions(0, null, 11, null));
            Map<String, INDArray> noStep = gradients(fixed, ForwardOptions.DEFAULT);
            assertThat(atStep).isEqualTo(noStep);
        });
    }

    @Test
    void aSupervisedStepBeforeTheTruncationStillTrainsTheCodaAndHead() {
        inDouble(() -> {
            RecurrentModel model = model(Map.of("backprop_depth", "1"));
            Tape tape = Tape.training();
            model.parameters().zeroGrad();
            Forward forward = model.forward(tape, BATCH, new ForwardOptions(3, new Supervision(1, false), 0, null));
            assertThat(forward.supervised()).extracting(Forward.Supervised::name)
                    .containsExactly("step.1", "step.2", "step.3");
            tape.backward(CrossEntropy.apply(tape, forward.supervised().get(0).logits(), TARGETS));
            assertThat(model.parameters().get("coda.0.mlp.down.weight").grad().norm2Number().doubleValue())
                    .as("the first step's loss reaches the coda").isPositive();
            assertThat(model.parameters().get("recurrent.0.mlp.down.weight").grad().norm2Number().doubleValue())
                    .as("but not the recursions before the truncation").isZero();
        });
    }

    private static Map<String, INDArray> gradients(Map<String, String> overrides, int depth) {
        return gradients(overrides, new ForwardOptions(depth, null, 3, null));
    }

    private static Map<String, INDArray> gradients(Map<String, String> overrides, ForwardOptions options) {
        RecurrentModel model = model(overrides);
        Tape tape = Tape.training();
        model.parameters().zeroGrad();
        Forward forward = model.forward(tape, BATCH, options);
        Var loss = CrossEntropy.apply(tape, forward.logits(), TARGETS);
        tape.backward(loss);
        Map<String, INDArray> gradients = new HashMap<>();
        for (Parameter parameter : model.parameters().all()) {
            gradients.put(parameter.name(), parameter.grad().dup());
        }
        return gradients;
    }

    /** Same weights whatever backprop_depth is: the initialisation depends on the mean depth only. */
    private static RecurrentModel model(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("d_model", "8", "heads", "2", "ffn", "12",
                "sample_recurrence", "false", "init_state", "zeros"));
        settings.putAll(overrides);
        RecurrentModel model = (RecurrentModel) RecurrentDepthArchitectureTest.build(settings);
        org.recursa.tck.TorchReference.randomizeWeights(model, 5, 0.3);
        return model;
    }

    private static void inDouble(Runnable test) {
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            test.run();
        } finally {
            Precision.use(previous);
        }
    }
}
