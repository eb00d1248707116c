package org.recursa.plugins.recurrentdepth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.Recorder;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.Supervision;

/** A recorded pass names every block application by its part; supervising every step reads each one out. */
class RecurrentDepthRecordingTest {

    private static final TokenBatch BATCH = TokenBatch.of(new int[][] {{3, 4, 5, 6}, {3, 4}}, 0);

    @Test
    void recordsThePreludeEachRecursionsLayersAndTheCoda() {
        RecurrentModel model = (RecurrentModel) RecurrentDepthArchitectureTest.build(Map.of("d_model", "8",
                "heads", "2", "ffn", "12", "mean_recurrence", "2"));
        List<Recorder.Step> steps = new ArrayList<>();
        model.forward(Tape.inference(), BATCH, steps::add);
        assertThat(steps).extracting(Recorder.Step::name).containsExactly("embed", "prelude.1",
                "recursion.1.layer.1", "recursion.1.layer.2", "recursion.2.layer.1", "recursion.2.layer.2", "coda.1");
        assertThat(steps.get(2).hidden()[0]).isNotEqualTo(steps.get(4).hidden()[0]);
    }

    @Test
    void supervisingEveryStepReadsEachRecursionOutThroughTheCoda() {
        RecurrentModel model = (RecurrentModel) RecurrentDepthArchitectureTest.build(Map.of("d_model", "8",
                "heads", "2", "ffn", "12"));
        var forward = model.forward(Tape.inference(), BATCH, new ForwardOptions(3, new Supervision(1, false), -1,
                null));
        assertThat(forward.supervised()).extracting(s -> s.name()).containsExactly("step.1", "step.2", "step.3");
        assertThat(forward.supervised().get(2).logits()).isSameAs(forward.logits());
        assertThat(forward.logits().value())
                .isEqualTo(model.forward(Tape.inference(), BATCH, ForwardOptions.atDepth(3)).logits().value());
        assertThat(forward.supervised().get(1).logits().value())
                .isEqualTo(model.forward(Tape.inference(), BATCH, ForwardOptions.atDepth(2)).logits().value());
    }
}
