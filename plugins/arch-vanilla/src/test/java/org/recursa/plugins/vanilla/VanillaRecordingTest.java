package org.recursa.plugins.vanilla;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.Recorder;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

/** A recorded vanilla pass: the embedding, then one step per layer, each with the residual stream and attention. */
class VanillaRecordingTest {

    private final VanillaArchitecture architecture = new VanillaArchitecture();

    @Test
    void recordsOneHiddenStatePerLayer() {
        TrainableModel model = ArchitectureConformance.build(architecture, architecture.schema().resolve(Map.of(
                "d_model", "8", "heads", "2", "ffn", "12", "layers", "3")), 1);
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 4, 5, 6, 1}, {3, 4}}, 0);
        List<Recorder.Step> steps = new ArrayList<>();
        Forward recorded = model.forward(Tape.inference(), batch, steps::add);

        assertThat(steps).extracting(Recorder.Step::name).containsExactly("embed", "layer.1", "layer.2", "layer.3");
        for (Recorder.Step step : steps) {
            assertThat(step.hidden()).as(step.name()).hasNumberOfRows(10);
            assertThat(step.hidden()[9]).hasSize(8);
            assertThat(step.active()).containsExactly(true, true, true, true, true, true, true, false, false, false);
        }
        assertThat(steps.get(3).attention()).hasDimensions(2, 2);
        assertThat(steps.get(3).attention()[0][1]).hasDimensions(5, 5);
        assertThat(recorded.logits().value()).isEqualTo(model.forward(Tape.inference(), batch).logits().value());
    }
}
