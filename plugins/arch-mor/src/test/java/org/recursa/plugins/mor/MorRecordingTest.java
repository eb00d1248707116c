package org.recursa.plugins.mor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.Recorder;

/**
 * A recorded Mixture-of-Recursions pass: the first block, one step per recursion a token entered, the last block;
 * at a recursion only the routed tokens are active, and the gathered computation records the same states, in the
 * pass's positions, as the masked one.
 */
class MorRecordingTest {

    private static final Map<String, String> SMALL = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "recursions", "3");
    private static final int[][] ROWS = {{3, 4, 5, 6, 3, 4, 1, 2, 9, 8}, {5, 3, 6, 2, 2, 7, 1}, {2, 1, 4, 4}};

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
    void recordsTheRoutedTokensOfEveryRecursionInThePassPositions() {
        Recorded gathered = infer(Map.of(), MorModel.Compute.GATHERED);
        Recorded masked = infer(Map.of(), MorModel.Compute.MASKED);
        List<String> names = gathered.steps.stream().map(Recorder.Step::name).toList();
        assertThat(names.get(0)).isEqualTo("embed");
        assertThat(names.get(1)).isEqualTo("layer.first");
        assertThat(names.get(names.size() - 1)).isEqualTo("layer.last");
        // the masked computation passes every token through every recursion, so it records a recursion nobody
        // entered too, with no active token; the gathered one skips it
        assertThat(masked.steps).extracting(Recorder.Step::name).containsAll(names);
        assertThat(masked.steps).filteredOn(step -> !names.contains(step.name()))
                .allSatisfy(step -> assertThat(step.active()).containsOnly(false));
        List<Recorder.Step> recursions = gathered.steps.subList(2, names.size() - 1);
        for (int r = 0; r < recursions.size(); r++) {
            assertThat(recursions.get(r).name()).isEqualTo("recursion." + (r + 1));
        }
        for (int row = 0; row < 30; row++) {
            int active = 0;
            for (Recorder.Step step : recursions) {
                active += step.active()[row] ? 1 : 0;
            }
            assertThat((double) active).as("row %d", row).isEqualTo(gathered.forward.depth()[row]);
        }
        for (Recorder.Step packed : gathered.steps) {
            Recorder.Step reference = masked.steps.stream().filter(step -> step.name().equals(packed.name()))
                    .findFirst().orElseThrow();
            assertThat(packed.active()).as(packed.name()).containsExactly(reference.active());
            for (int row = 0; row < 30; row++) {
                if (packed.active()[row]) {
                    for (int c = 0; c < 8; c++) {
                        assertThat(packed.hidden()[row][c]).as("%s row %d", packed.name(), row)
                                .isCloseTo(reference.hidden()[row][c], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void namesEachSharedBlockWhenARecursionHasSeveral() {
        Recorded recorded = infer(Map.of("base_depth", "2", "router", "token"), MorModel.Compute.GATHERED);
        assertThat(recorded.steps).extracting(Recorder.Step::name).contains("recursion.1.block.1",
                "recursion.1.block.2").doesNotHaveDuplicates();
    }

    private record Recorded(Forward forward, List<Recorder.Step> steps) {
    }

    private Recorded infer(Map<String, String> overrides, MorModel.Compute compute) {
        Map<String, String> settings = new HashMap<>(SMALL);
        settings.putAll(overrides);
        MorModel model = MorArchitecture.build(new ModelSpec(11, 10, 17), architecture.schema().resolve(settings),
                compute);
        List<Recorder.Step> steps = new ArrayList<>();
        Forward forward = model.forward(Tape.inference(), TokenBatch.of(ROWS, 0), steps::add);
        return new Recorded(forward, steps);
    }
}
