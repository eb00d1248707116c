package org.recursa.plugins.mor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

class MorArchitectureTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "recursions", "3", "aux_weight", "0.1");
    private static final int[][] ROWS = {{3, 4, 5, 6, 3, 4}, {5, 3, 6}};
    private final MorArchitecture architecture = new MorArchitecture();

    @Test
    void conformsWithExpertChoiceAndRecursionWiseKv(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verify(architecture, TINY, scratch);
    }

    @Test
    void conformsWithExpertChoiceAndSharedKv(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verify(architecture, with(Map.of("kv", "share")), scratch);
    }

    @Test
    void conformsWithTokenChoice(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verify(architecture, with(Map.of("router", "token", "recursions", "2")), scratch);
    }

    @Test
    void expertChoiceFiltersHierarchicallyWithinCapacity() {
        TrainableModel model = build(TINY);
        Forward forward = model.forward(Tape.training(), TokenBatch.of(ROWS, 0));
        // Capacities 3/3, 2/3, 1/3 of 6 and 3 real tokens: 9, then 4 + 2, then 2 + 1.
        assertThat(forward.stats()).containsEntry("tokens_at_recursion_1", 9.0)
                .containsEntry("tokens_at_recursion_2", 6.0).containsEntry("tokens_at_recursion_3", 3.0);
        double[] depth = forward.depth();
        assertThat(depth).hasSize(12);
        assertThat(depth[9]).isZero();                         // padding never recurses
        long deepest = java.util.Arrays.stream(depth).filter(d -> d == 3).count();
        assertThat(deepest).isEqualTo(3);
        assertThat(forward.stats().get("mean_depth")).isEqualTo((9 + 6 + 3) / 9.0);
        assertThat(forward.auxLosses()).extracting(Forward.NamedLoss::name).containsExactly("router_bce");
    }

    @Test
    void inferenceSelectsByThresholdAndReportsDepth() {
        TrainableModel model = build(TINY);
        Forward forward = model.forward(Tape.inference(), TokenBatch.of(ROWS, 0));
        for (int i = 0; i < 12; i++) {
            assertThat(forward.depth()[i]).isBetween(0.0, 3.0);
        }
        assertThat(forward.depth()[10]).isZero();
    }

    @Test
    void tokenChoiceGivesEachTokenOneDepthAndABalancingLoss() {
        TrainableModel model = build(with(Map.of("router", "token")));
        Forward forward = model.forward(Tape.training(), TokenBatch.of(ROWS, 0));
        double total = 0;
        for (int d = 1; d <= 3; d++) {
            total += forward.stats().get("tokens_at_depth_" + d);
        }
        assertThat(total).isEqualTo(9);
        for (int i : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}) {
            assertThat(forward.depth()[i]).isIn(1.0, 2.0, 3.0);
        }
        assertThat(forward.auxLosses()).extracting(Forward.NamedLoss::name).containsExactly("balance");
    }

    @Test
    void middleCycleCountsAndCheaperThanFullDepth() {
        ModelInfo info = build(TINY).info();
        assertThat(info.uniqueLayers()).isEqualTo(3);
        assertThat(info.effectiveLayers()).isEqualTo(5);
        long block = info.flopsPerToken() - 2L * 8 * ArchitectureConformance.VOCABULARY;
        assertThat(block).isLessThan(5L * new org.recursa.engine.nn.Block.Shape(8, 2, 12)
                .flopsPerToken(ArchitectureConformance.MAX_LENGTH));
    }

    @Test
    void routerOpsMatchFiniteDifferences() {
        var previous = Precision.dataType();
        Precision.use(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        try {
            SplittableRandom random = new SplittableRandom(9);
            var logits = GradientCheck.random(random, 2, 4, 3);
            GradientCheck.check("softmax", GradientCheck.weighted(t -> RouterOps.softmax(t, logits), 1), List.of(logits));
            var z = GradientCheck.random(random, 3, 5, 1);
            var targets = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {0}, {1}});
            var weights = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1}, {1}, {0.5}, {0}, {2}});
            GradientCheck.check("bce", t -> RouterOps.bceWithLogits(t, z, targets, weights), List.of(z));
        } finally {
            Precision.use(previous);
        }
    }

    private Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(overrides);
        return settings;
    }

    @Test
    void aShallowerPassRunsOnlyTheFirstRecursionsAndDeeperTokenChoicesLeaveAtTheLast() {
        TokenBatch batch = TokenBatch.of(ROWS, 0);
        var expert = (org.recursa.engine.train.RecurrentModel) build(TINY);
        assertThat(expert.defaultDepth()).isEqualTo(3);
        assertThat(expert.maxDepth()).isEqualTo(3);
        Forward two = expert.forward(Tape.inference(), batch, org.recursa.engine.train.ForwardOptions.atDepth(2));
        assertThat(two.stats()).containsKeys("tokens_at_recursion_1", "tokens_at_recursion_2")
                .doesNotContainKey("tokens_at_recursion_3");
        for (double depth : two.depth()) {
            assertThat(depth).isBetween(0.0, 2.0);
        }
        Map<String, String> tokenChoice = new HashMap<>(TINY);
        tokenChoice.put("router", "token");
        var token = (org.recursa.engine.train.RecurrentModel) build(tokenChoice);
        Forward one = token.forward(Tape.inference(), batch, org.recursa.engine.train.ForwardOptions.atDepth(1));
        for (int i = 0; i < one.depth().length; i++) {
            boolean real = batch.keep().getDouble(i) > 0;
            assertThat(one.depth()[i]).as("token %d", i).isEqualTo(real ? 1.0 : 0.0);
        }
        assertThat(one.stats().get("tokens_at_depth_1")).isEqualTo(9.0);
        assertThat(token.flopsPerToken(1)).isLessThan(token.flopsPerToken(3));
    }

    private TrainableModel build(Map<String, String> settings) {
        return ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture,
                Map.of(),
                Map.of("d_model", "16", "heads", "2", "ffn", "24", "recursions", "4", "base_depth", "2", "router", "token"),
                Map.of("d_model", "16", "heads", "2", "ffn", "24", "recursions", "2", "kv", "share"),
                Map.of("positions", "none"));
    }

    @Test
    void theCandidateOnlyRouterLossAveragesOverTheCandidates() {
        int[][] rows = {{3, 4, 5, 6, 1, 2}, {5, 3, 1, 6}};
        double all = routerLoss("all", rows);
        double candidates = routerLoss("candidates", rows);
        // The same weights: every term of "all" (each recursion's BCE over the 10 real tokens, divided by 10) whose
        // token is a candidate is a term of "candidates" too; the candidates' mean drops the others and divides by
        // fewer, so the two losses differ.
        assertThat(all).isPositive();
        assertThat(candidates).isPositive().isNotCloseTo(all, org.assertj.core.data.Percentage.withPercentage(0.001));
    }

    @Test
    void theRouterLossOverAllTokensIsAMeanOverRealTokensThatPaddingDoesNotDilute() {
        int[] longer = {3, 4, 5, 6, 1, 2};
        int[] shorter = {5, 3, 1, 6};
        double both = routerLoss("all", new int[][] {longer, shorter});
        double alone = (6 * routerLoss("all", new int[][] {longer}) + 4 * routerLoss("all", new int[][] {shorter}))
                / 10;
        // Two padding slots in the batch of both: a mean over positions would be 10/12 of the mean over tokens.
        assertThat(both).isCloseTo(alone, org.assertj.core.data.Percentage.withPercentage(1e-4));
    }

    /** The expert-choice router loss of one training pass over {@code rows} (padded with 0) at aux_weight 1. */
    private double routerLoss(String mode, int[][] rows) {
        var model = ArchitectureConformance.build(architecture, architecture.schema().resolve(Map.of("d_model",
                "16", "heads", "2", "ffn", "24", "aux_weight", "1.0", "router_bce", mode)), 3);
        var forward = model.forward(org.recursa.engine.Tape.training(), org.recursa.engine.TokenBatch.of(rows, 0));
        return forward.auxLosses().get(0).value().value().getDouble(0);
    }

    @Test
    void refusesRotaryPositionsInOneLine() {
        assertThatThrownBy(() -> architecture.build(new org.recursa.api.model.ModelSpec(7, 6, 1),
                architecture.schema().resolve(Map.of("positions", "rope"))))
                .isInstanceOf(org.recursa.api.ConfigException.class)
                .hasMessage("setting 'positions' = rope is not supported by mor: its recursions attend over gathered "
                        + "tokens whose slots are not their positions; use learned, sinusoidal or none");
    }
}
