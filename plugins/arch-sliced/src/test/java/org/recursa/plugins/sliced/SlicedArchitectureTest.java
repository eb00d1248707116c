package org.recursa.plugins.sliced;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelInfo;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

class SlicedArchitectureTest {

    // shuffle=false: the gradient check compares passes, so the grouping must not change between them.
    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12", "blocks", "2",
            "loops", "2", "groups", "2", "nll_hidden", "6", "shuffle", "false");
    private final SlicedArchitecture architecture = new SlicedArchitecture();

    @Test
    void conforms(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verify(architecture, TINY, scratch);
    }

    @Test
    void reportsSharedBlocksAndCheaperGroupedAttention() {
        ModelInfo grouped = build(Map.of()).info();
        assertThat(grouped.uniqueLayers()).isEqualTo(2);
        assertThat(grouped.effectiveLayers()).isEqualTo(4);
        ModelInfo ungrouped = build(Map.of("groups", "1")).info();
        assertThat(grouped.flopsPerToken()).isLessThan(ungrouped.flopsPerToken());
        assertThat(grouped.parameters()).isEqualTo(ungrouped.parameters());
    }

    @Test
    void groupAttentionHidesTokensOfOtherGroups() {
        GroupMask groups = GroupMask.random(ArchitectureConformance.MAX_LENGTH, 2, new SplittableRandom(3));
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 3, 4}}, 0);
        var mask = groups.build(batch, org.nd4j.linalg.factory.Nd4j.zeros(1));
        int last = 5;
        for (int j = 0; j <= last; j++) {
            boolean visible = mask.getDouble(0, last, j) == 0;
            assertThat(visible).as("position %d sees %d", last, j).isEqualTo(groups.group(j) == groups.group(last));
        }
        for (int j = 1; j < 6; j++) {
            assertThat(mask.getDouble(0, 0, j)).as("no future key").isNegative();
        }
    }

    @Test
    void shufflingDrawsAGroupingPerTrainingPassFromItsBatchButInferenceIsFixed() {
        TrainableModel model = build(Map.of("shuffle", "true", "groups", "3"));
        int[] row = {3, 4, 5, 6, 3, 4};
        TokenBatch alone = TokenBatch.of(new int[][] {row}, 0);
        float[] first = firstRow(model.forward(Tape.training(), alone), row.length);
        assertThat(firstRow(model.forward(Tape.training(), alone), row.length))
                .as("the same batch again draws the same grouping (a pass's draws are seeded by its batch)")
                .containsExactly(first);
        // Rows are independent, so a row computes otherwise beside other rows only if the pass grouped otherwise.
        boolean regrouped = false;
        for (int other = 3; other < 9 && !regrouped; other++) {
            TokenBatch beside = TokenBatch.of(new int[][] {row, {other, 5, 4, 3}}, 0);
            regrouped = maxDifference(first, firstRow(model.forward(Tape.training(), beside), row.length)) > 1e-3;
        }
        assertThat(regrouped).as("a training pass over another batch drew another grouping").isTrue();
        float[] fixed = firstRow(model.forward(Tape.inference(), alone), row.length);
        TokenBatch beside = TokenBatch.of(new int[][] {row, {4, 5, 4, 3}}, 0);
        assertThat(maxDifference(fixed, firstRow(model.forward(Tape.inference(), beside), row.length)))
                .as("inference uses one fixed grouping: the row computes the same beside another").isLessThan(1e-5);
    }

    private static double maxDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    /** The logits of the batch's first row. */
    private static float[] firstRow(Forward forward, int length) {
        float[] all = forward.logits().value().data().asFloat();
        int vocabulary = (int) forward.logits().value().columns();
        return java.util.Arrays.copyOf(all, length * vocabulary);
    }

    @Test
    void regroupingEveryCallDrawsAnotherGroupingForEachGroupedApplication() {
        // blocks 2 x loops 3: four grouped calls per pass. Same model, same seed: per-call regrouping must give other
        // logits than one grouping per pass, and at inference (one fixed grouping) both are the same model.
        Map<String, String> settings = Map.of("shuffle", "true", "groups", "3", "loops", "3");
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 3, 4}}, 0);
        TrainableModel perCall = build(with(settings, "regroup", "call"));
        TrainableModel perPass = build(with(settings, "regroup", "pass"));
        assertThat(perCall.forward(Tape.training(), batch).logits().value())
                .isNotEqualTo(perPass.forward(Tape.training(), batch).logits().value());
        assertThat(perCall.forward(Tape.inference(), batch).logits().value())
                .isEqualTo(perPass.forward(Tape.inference(), batch).logits().value());
    }

    @Test
    void theFirstApplicationAttendsInContiguousSlicesWithGroups1() {
        GroupMask slices = GroupMask.contiguous(6, 2);
        assertThat(new int[] {slices.group(0), slices.group(2), slices.group(3), slices.group(5)})
                .containsExactly(0, 0, 1, 1);
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 3, 4}}, 0);
        var full = build(Map.of("groups1", "1")).forward(Tape.inference(), batch).logits().value();
        var sliced = build(Map.of("groups1", "2")).forward(Tape.inference(), batch).logits().value();
        assertThat(sliced.getRow(0)).as("position 0 sees only itself either way").isEqualTo(full.getRow(0));
        assertThat(sliced).isNotEqualTo(full);
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(key, value);
        return all;
    }

    @Test
    void residualCoefficientsLearn() {
        TrainableModel model = build(Map.of());
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6}}, 0);
        Tape tape = Tape.training();
        Forward forward = model.forward(tape, batch);
        tape.backward(org.recursa.engine.ops.CrossEntropy.apply(tape, forward.logits(), new int[] {4, 5, 6, -100}));
        assertThat(model.parameters().get("block.1.alpha.2").grad().getDouble(0)).isNotZero();
        assertThat(model.parameters().get("nll.3.alpha.1").grad().getDouble(0)).isNotZero();
    }

    private TrainableModel build(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(overrides);
        return ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture,
                Map.of(),
                Map.of("d_model", "16", "heads", "2", "ffn", "24", "blocks", "3", "loops", "2", "groups", "1", "nll_hidden", "20"),
                Map.of("positions", "rope"));
    }
}
