package org.recursa.plugins.mor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;
import org.recursa.tck.TorchReference;

/**
 * Logits, task loss, router loss and every gradient against bench/torch_train.py's gather/scatter MoR on the same
 * weights, in a training pass (top-k routing per sequence), on padded batches whose rows get different capacities
 * (skipped, with the reason, without PyTorch).
 */
class MorTorchParityTest {

    private static final int[][] TWO_ROWS = {{3, 4, 5, 6, 1, 2}, {5, 3, 1}};
    private static final int[][] THREE_ROWS = {{3, 4, 5, 6, 1, 2}, {5, 3, 1, 6}, {2, 6}};

    @Test
    void expertChoiceWithTheBenchmarksDefaultsMatchesPyTorch(@TempDir Path scratch) throws Exception {
        // recursions 3, base_depth 1, gate 0.1 sigmoid, aux weight 0.001: capacities 6/3, 4/2, 2/1 tokens
        TorchReference.Agreement agreement = compare(Map.of(), TWO_ROWS, scratch);
        assertThat(agreement.auxLosses()).containsExactly("router_bce");
    }

    @Test
    void deeperExpertChoiceWithAHeavyRouterLossMatchesPyTorch(@TempDir Path scratch) throws Exception {
        // two shared blocks per recursion, four recursions, and a router loss weighty enough to dominate its gradient
        TorchReference.Agreement agreement = compare(Map.of("recursions", "4", "base_depth", "2", "aux_weight", "0.5",
                "gate_scale", "0.7"), THREE_ROWS, scratch);
        assertThat(agreement.auxLosses()).containsExactly("router_bce");
    }

    @Test
    void theAuthorsCandidateOnlyRouterLossMatchesPyTorch(@TempDir Path scratch) throws Exception {
        // router_bce=candidates: each recursion's BCE over its candidates only, divided by their number
        TorchReference.Agreement agreement = compare(Map.of("router_bce", "candidates", "recursions", "3",
                "aux_weight", "0.5"), THREE_ROWS, scratch);
        assertThat(agreement.auxLosses()).containsExactly("router_bce");
    }

    @Test
    void tokenChoiceWithTheBalancingLossMatchesPyTorch(@TempDir Path scratch) throws Exception {
        // The router's bias is set so that tokens leave at every depth (with these randomised weights and no bias,
        // no token leaves after one recursion), which exercises the balancing loss's per-depth counts.
        TorchReference.Agreement agreement = compare(Map.of("router", "token"), THREE_ROWS, scratch,
                model -> model.parameters().get("router.bias").value().assign(Nd4j.createFromArray(0.5, 0.0, 0.0)));
        assertThat(agreement.auxLosses()).containsExactly("balance");
    }

    private static TorchReference.Agreement compare(Map<String, String> overrides, int[][] rows, Path scratch)
            throws Exception {
        return compare(overrides, rows, scratch, model -> { });
    }

    private static TorchReference.Agreement compare(Map<String, String> overrides, int[][] rows, Path scratch,
                                                    Consumer<TrainableModel> adjust) throws Exception {
        Optional<String> missing = TorchReference.unavailable();
        assumeTrue(missing.isEmpty(), () -> "PyTorch parity skipped: " + missing.orElseThrow());
        MorArchitecture architecture = new MorArchitecture();
        Map<String, String> settings = new HashMap<>(Map.of("d_model", "16", "heads", "2", "ffn", "24"));
        settings.putAll(overrides);
        var config = architecture.schema().resolve(settings);
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            TrainableModel model = ArchitectureConformance.build(architecture, config, 11);
            TorchReference.randomizeWeights(model, 12, 0.3);
            adjust.accept(model);
            Forward routed = model.forward(Tape.training(), TokenBatch.of(rows, 0));
            System.out.printf("mor %s depths %s%n", overrides, Arrays.toString(routed.depth()));
            int recursions = config.getInt("recursions");
            int length = routed.depth().length / rows.length;
            for (int b = 0; b < rows.length; b++) {
                double[] row = Arrays.copyOfRange(routed.depth(), b * length, b * length + rows[b].length);
                assertThat(row).as("depths of row %d", b).contains((double) recursions);
            }
            assertThat(routed.depth()).as("some tokens leave after one recursion").contains(1.0);
            TorchReference.Agreement agreement = TorchReference.assertMatches(architecture, config, model, rows,
                    TorchReference.locate("bench/torch_reference.py"), scratch);
            System.out.printf("mor %s vs PyTorch %s: largest relative difference %.2e (%s)%n", overrides,
                    agreement.torch(), agreement.largest(), agreement.where());
            assertThat(agreement.largest()).isLessThanOrEqualTo(TorchReference.TOLERANCE);
            return agreement;
        } finally {
            Precision.use(previous);
        }
    }
}
