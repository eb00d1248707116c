package org.recursa.plugins.universal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.Recorder;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

/**
 * A recorded Universal Transformer pass: one step per recursion of the shared block; with ACT, a position counts
 * at a recursion only while its state is weighed into the output, so each token is active at as many recursions as
 * its depth.
 */
class UniversalRecordingTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "recursions", "4");
    private static final TokenBatch BATCH = TokenBatch.of(new int[][] {{3, 4, 5, 6}, {3, 4}}, 0);

    private final UniversalArchitecture architecture = new UniversalArchitecture();

    @Test
    void recordsOneHiddenStatePerRecursion() {
        TrainableModel model = ArchitectureConformance.build(architecture, architecture.schema().resolve(TINY), 1);
        List<Recorder.Step> steps = new ArrayList<>();
        model.forward(Tape.inference(), BATCH, steps::add);
        assertThat(steps).extracting(Recorder.Step::name)
                .containsExactly("embed", "recursion.1", "recursion.2", "recursion.3", "recursion.4");
        for (Recorder.Step step : steps.subList(1, steps.size())) {
            assertThat(step.hidden()).hasNumberOfRows(8);
            assertThat(step.hidden()[0]).hasSize(8);
            assertThat(step.attention()).hasDimensions(2, 2);
            assertThat(step.attention()[1][0]).hasDimensions(4, 4);
            assertThat(step.active()).containsExactly(true, true, true, true, true, true, false, false);
        }
        // the shared block's output differs from step to step
        assertThat(steps.get(1).hidden()[0]).isNotEqualTo(steps.get(2).hidden()[0]);
    }

    @Test
    void withActATokenIsActiveAtAsManyRecursionsAsItsDepth() {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(Map.of("recursions", "6", "act", "true", "halting_bias", "-0.5",
                "act_depth", "steps"));   // depth = the steps N a token took, each of them recorded
        TrainableModel model = ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
        // a large random halting unit, so that positions halt at different steps
        model.parameters().get("halting.weight").value()
                .assign(org.recursa.engine.Init.normal(new java.util.SplittableRandom(5), 3.0, 1, 8));
        List<Recorder.Step> steps = new ArrayList<>();
        Forward forward = model.forward(Tape.inference(), BATCH, steps::add);
        List<Recorder.Step> recursions = steps.subList(1, steps.size());
        assertThat(recursions).hasSize(forward.stats().get("steps").intValue());
        for (int row = 0; row < 8; row++) {
            int active = 0;
            for (Recorder.Step step : recursions) {
                active += step.active()[row] ? 1 : 0;
            }
            assertThat((double) active).as("row %d", row).isEqualTo(forward.depth()[row]);
        }
        assertThat(forward.depth()).as("positions halt at different steps").matches(
                depth -> java.util.Arrays.stream(depth, 0, 6).distinct().count() > 1);
    }
}
