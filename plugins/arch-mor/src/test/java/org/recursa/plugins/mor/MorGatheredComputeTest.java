package org.recursa.plugins.mor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Parameter;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.RowMap;
import org.recursa.engine.train.Forward;

/**
 * Gathering the routed tokens must not change the model: the gathered and the masked computation, on the same
 * weights and a padded batch, give the same logits, losses, depths and parameter gradients in double precision.
 */
class MorGatheredComputeTest {

    private static final Map<String, String> SMALL = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "recursions", "3", "base_depth", "2", "aux_weight", "0.1");
    /** Real lengths 10, 7 and 4: capacities give 10/6/3, 7/4/2 and 4/2/1 tokens, so packed rows need padding. */
    private static final int[][] ROWS = {{3, 4, 5, 6, 3, 4, 1, 2, 9, 8}, {5, 3, 6, 2, 2, 7, 1}, {2, 1, 4, 4}};
    private static final double SAME = 1e-11;

    private final MorArchitecture architecture = new MorArchitecture();
    private DataType previous;

    @BeforeEach
    void doublePrecision() {
        previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Precision.use(previous);
    }

    @Test
    void expertChoiceTrainingMatchesMasking() {
        Pass gathered = train(Map.of(), MorModel.Compute.GATHERED);
        Pass masked = train(Map.of(), MorModel.Compute.MASKED);
        assertSame(gathered, masked);
        assertThat(gathered.forward.stats()).containsEntry("tokens_at_recursion_2", 12.0)
                .containsEntry("tokens_at_recursion_3", 6.0);
    }

    @Test
    void expertChoiceInferenceMatchesMasking() {
        Forward gathered = infer(Map.of(), MorModel.Compute.GATHERED);
        Forward masked = infer(Map.of(), MorModel.Compute.MASKED);
        assertClose("logits", gathered.logits().value(), masked.logits().value());
        assertThat(gathered.depth()).containsExactly(masked.depth());
        // the threshold routes different numbers of tokens per sequence, so the packed rows are padded
        assertThat(Arrays.stream(gathered.depth()).distinct().count()).isGreaterThan(2);
    }

    @Test
    void tokenChoiceTrainingAndInferenceMatchMasking() {
        Map<String, String> token = Map.of("router", "token");
        assertSame(train(token, MorModel.Compute.GATHERED), train(token, MorModel.Compute.MASKED));
        Forward gathered = infer(token, MorModel.Compute.GATHERED);
        assertClose("logits", gathered.logits().value(), infer(token, MorModel.Compute.MASKED).logits().value());
        assertThat(Arrays.stream(gathered.depth()).distinct().count()).isGreaterThan(2);
    }

    @Test
    void packsRoutedTokensPerSequenceInPositionOrder() {
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5}, {6, 2}}, 0);
        boolean[] routed = {true, false, true, false, true, false};
        RoutedRows rows = RoutedRows.of(batch, routed);
        int z = RowMap.ZERO;
        assertThat(rows.pack()).containsExactly(0, 2, 4, z);
        assertThat(rows.unpack()).containsExactly(0, z, 1, z, 2, z);
        assertThat(rows.batch().ids()).containsExactly(3, 5, 2, 0);
        assertThat(rows.batch().lengths()).containsExactly(2, 1);
        assertThat(rows.batch().keep().reshape(4).toDoubleVector()).containsExactly(1, 1, 1, 0);
        RoutedRows secondEmpty = RoutedRows.of(batch, new boolean[] {true, true, false, false, false, false});
        assertThat(secondEmpty.batch().lengths()).containsExactly(2, 0);
        assertThat(secondEmpty.batch().keep().reshape(4).toDoubleVector()).containsExactly(1, 1, 1, 0);
        assertThat(RoutedRows.any(new boolean[6])).isFalse();
        assertThatThrownBy(() -> RoutedRows.of(batch, new boolean[6])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsTheFlopsItComputes() {
        long gathered = build(Map.of(), MorModel.Compute.GATHERED).info().flopsPerToken();
        long share = build(Map.of("kv", "share"), MorModel.Compute.GATHERED).info().flopsPerToken();
        Block.Shape shape = new Block.Shape(8, 2, 12);
        long head = 2L * 8 * 11;
        long routers = 2L * 8 * 3;
        // kv=share masks: first, last, and 3 recursions of 2 shared blocks, all at full length
        assertThat(share).isEqualTo(head + routers + (2 + 3 * 2) * shape.flopsPerToken(10));
        // kv=recursion gathers 10, 6 and 3 of 10 tokens per recursion, attending among those only
        double middle = shape.flopsPerToken(10) + 0.6 * shape.flopsPerToken(6) + 0.3 * shape.flopsPerToken(3);
        assertThat(gathered).isEqualTo(head + routers + 2 * shape.flopsPerToken(10) + Math.round(2 * middle));
    }

    /** A training pass's forward output and every parameter's gradient of task loss plus auxiliary losses. */
    private record Pass(Forward forward, double loss, Map<String, INDArray> gradients) {
    }

    private Pass train(Map<String, String> overrides, MorModel.Compute compute) {
        MorModel model = build(overrides, compute);
        TokenBatch batch = TokenBatch.of(ROWS, 0);
        Tape tape = Tape.training();
        Forward forward = model.forward(tape, batch);
        Var loss = CrossEntropy.apply(tape, forward.logits(), nextTokens(batch));
        for (Forward.NamedLoss aux : forward.auxLosses()) {
            loss = Elementwise.add(tape, loss, aux.value());
        }
        double value = loss.value().getDouble(0);
        tape.backward(loss);
        Map<String, INDArray> gradients = new HashMap<>();
        for (Parameter parameter : model.parameters().all()) {
            gradients.put(parameter.name(), parameter.grad().dup());
        }
        return new Pass(forward, value, gradients);
    }

    private Forward infer(Map<String, String> overrides, MorModel.Compute compute) {
        return build(overrides, compute).forward(Tape.inference(), TokenBatch.of(ROWS, 0));
    }

    private void assertSame(Pass gathered, Pass masked) {
        assertClose("logits", gathered.forward.logits().value(), masked.forward.logits().value());
        assertThat(gathered.loss).isCloseTo(masked.loss, org.assertj.core.api.Assertions.within(SAME));
        assertThat(gathered.forward.depth()).containsExactly(masked.forward.depth());
        assertThat(gathered.forward.stats()).isEqualTo(masked.forward.stats());
        assertThat(gathered.gradients.keySet()).isEqualTo(masked.gradients.keySet());
        for (String name : masked.gradients.keySet()) {
            if (name.startsWith("block.shared.")) {
                assertThat(masked.gradients.get(name).norm1Number().doubleValue()).as(name).isPositive();
            }
            assertClose("gradient of " + name, gathered.gradients.get(name), masked.gradients.get(name));
        }
    }

    /** Equal up to rounding: within {@link #SAME} of the larger magnitude of the two arrays. */
    private static void assertClose(String what, INDArray actual, INDArray expected) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double difference = actual.sub(expected).amaxNumber().doubleValue();
        assertThat(difference).as(what + " differs by " + difference + " at scale " + scale)
                .isLessThanOrEqualTo(SAME * scale);
    }

    private MorModel build(Map<String, String> overrides, MorModel.Compute compute) {
        Map<String, String> settings = new HashMap<>(SMALL);
        settings.putAll(overrides);
        return MorArchitecture.build(new ModelSpec(11, 10, 17), architecture.schema().resolve(settings), compute);
    }

    private static int[] nextTokens(TokenBatch batch) {
        int[] targets = new int[batch.ids().length];
        for (int i = 0; i < targets.length; i++) {
            int t = i % batch.length();
            targets[i] = t + 1 < batch.lengths()[i / batch.length()] ? batch.ids()[i + 1] : CrossEntropy.IGNORE;
        }
        return targets;
    }
}
