package org.recursa.plugins.loopformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.ConfigException;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.Recorder;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;
import org.recursa.tck.TorchReference;

class LoopformerArchitectureTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "blocks", "2", "loops", "3", "fourier_dims", "8");
    private static final TokenBatch BATCH = TokenBatch.of(new int[][] {{3, 4, 5, 6}, {3, 4}}, 0);

    private final LoopformerArchitecture architecture = new LoopformerArchitecture();

    @Test
    void conformsWhenTrainingWithTheShortcut(@TempDir Path scratch) throws Exception {
        // the finite-difference check runs training passes: the short trajectory's loss and the consistency loss
        // are differentiated with the rest
        ArchitectureConformance.verify(architecture, TINY, scratch);
    }

    @Test
    void conformsWithoutTheShortcutAlongASchedule(@TempDir Path scratch) throws Exception {
        // one block looped twice keeps the whole-model gradient check short
        ArchitectureConformance.verify(architecture, with(Map.of("shortcut", "false", "schedule", "0.75,0.25",
                "blocks", "1", "loops", "2")), scratch);
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture, Map.of(), TINY,
                Map.of("blocks", "3", "fourier_dims", "9", "d_model", "16", "heads", "2", "ffn", "24"),
                Map.of("positions", "rope"), Map.of("positions", "none"));
    }

    @Test
    void aScheduleMustBePositiveStepsSummingToOne() {
        for (String[] bad : new String[][] {{"schedule", "0.5,0.25"}, {"schedule", "0.5,0,0.5"},
                {"schedule", "1.5,-0.5"}, {"schedule", "half,half"}, {"short_schedule", "0.6,0.6"}}) {
            var config = architecture.schema().resolve(with(Map.of(bad[0], bad[1])));
            assertThatThrownBy(() -> architecture.build(new ModelSpec(7, 6, 1), config))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("setting '" + bad[0] + "' = '" + bad[1] + "' must be a comma list of "
                            + "positive step sizes summing to 1")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> architecture.build(new ModelSpec(7, 6, 1),
                architecture.schema().resolve(with(Map.of("schedule", "0.5,0.25")))))
                .hasMessageEndingWith("the steps sum to 0.75");
    }

    @Test
    void aFreshModelIsTheIdentityLoopAfterLoopBecauseItsModulationStartsAtZero() {
        RecurrentModel model = recurrent(TINY, 1);
        double[] four = logits(model, ForwardOptions.atDepth(4));
        assertThat(logits(model, ForwardOptions.atDepth(1))).containsExactly(four, within(1e-6));
    }

    @Test
    void moreLoopsGiveAnotherOutputAndAnyDepthDecodes() {
        RecurrentModel model = recurrent(with(Map.of("loops", "4")), 1);
        TorchReference.randomizeWeights(model, 2, 0.3);
        double[] four = logits(model, ForwardOptions.DEFAULT);
        assertThat(logits(model, ForwardOptions.atDepth(4))).containsExactly(four, within(1e-6));
        assertThat(logits(model, ForwardOptions.atDepth(8))).isNotEqualTo(four);
        float[][] next = model.atDepth(8).nextTokenLogits(new int[][] {{3, 4, 5}, {6}});
        assertThat(next).hasNumberOfRows(2);
        assertThat(next[0]).hasSize(7);
        for (float value : next[0]) {
            assertThat(Float.isFinite(value)).as("decoded logit %s", value).isTrue();
        }
        assertThat(model.atDepth(8).info().flopsPerToken()).isGreaterThan(model.info().flopsPerToken());
        assertThat(model.defaultDepth()).isEqualTo(4);
        assertThat(model.maxDepth()).isEqualTo(256);
    }

    @Test
    void aScheduleSetsTheStepsOfADefaultPass() {
        RecurrentModel uniform = recurrent(with(Map.of("loops", "4")), 1);
        RecurrentModel scheduled = recurrent(with(Map.of("loops", "4", "schedule", "0.5,0.25,0.25")), 1);
        TorchReference.randomizeWeights(uniform, 2, 0.3);
        TorchReference.randomizeWeights(scheduled, 2, 0.3);
        assertThat(scheduled.defaultDepth()).isEqualTo(3);
        double[] coarse = logits(scheduled, ForwardOptions.DEFAULT);
        assertThat(coarse).isNotEqualTo(logits(uniform, ForwardOptions.atDepth(3)));
        // at another depth the schedule does not apply: uniform steps, as the uniform model runs them
        assertThat(logits(scheduled, ForwardOptions.atDepth(5))).containsExactly(
                logits(uniform, ForwardOptions.atDepth(5)), within(1e-6));
    }

    @Test
    void aTrainingPassSupervisesTheShortTrajectoryAndAddsTheConsistencyLoss() {
        RecurrentModel model = recurrent(with(Map.of("loops", "4")), 1);
        TorchReference.randomizeWeights(model, 2, 0.3);
        Forward forward = model.forward(Tape.training(), BATCH, new ForwardOptions(0, null, 7, null));
        assertThat(forward.supervised()).extracting(Forward.Supervised::name).containsExactly("final", "short");
        assertThat(forward.supervised()).extracting(Forward.Supervised::weight).containsExactly(1.0, 0.1);
        assertThat(forward.supervised().get(0).logits()).isSameAs(forward.logits());
        assertThat(forward.auxLosses()).singleElement().satisfies(loss -> {
            assertThat(loss.name()).isEqualTo("consistency");
            assertThat(loss.value().value().getDouble(0)).isPositive();
        });
        assertThat(forward.stats().get("short_steps")).isBetween(1.0, 3.0);
        // an inference pass runs the long trajectory alone
        Forward inference = model.forward(Tape.inference(), BATCH);
        assertThat(inference.supervised()).isEmpty();
        assertThat(inference.auxLosses()).isEmpty();
        assertThat(inference.logits().value().dup().data().asDouble())
                .containsExactly(forward.logits().value().dup().data().asDouble(), within(1e-5));
    }

    @Test
    void theShortTrajectoryIsDrawnFromTheModelSeedAndTheStep() {
        RecurrentModel model = recurrent(with(Map.of("loops", "8")), 1);
        TorchReference.randomizeWeights(model, 2, 0.3);
        List<Double> consistency = new ArrayList<>();
        for (int step = 0; step < 6; step++) {
            consistency.add(consistency(model, step));
        }
        assertThat(consistency(model, 3)).as("the same step draws the same trajectory").isEqualTo(consistency.get(3));
        assertThat(consistency.stream().distinct().count()).as("steps draw different trajectories").isGreaterThan(1);
    }

    @Test
    void shortTrajectoriesAreCompositionsOfOneIntoMultiplesOfOneOverL() {
        SplittableRandom random = new SplittableRandom(7);
        boolean[] lengths = new boolean[8];
        for (int draw = 0; draw < 2000; draw++) {
            double[] deltas = Trajectory.sampleShort(8, random);
            assertThat(deltas.length).isBetween(1, 7);
            lengths[deltas.length] = true;
            double sum = 0;
            for (double delta : deltas) {
                assertThat(delta * 8).isCloseTo(Math.rint(delta * 8), within(1e-12)).isGreaterThanOrEqualTo(1.0);
                sum += delta;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-12));
        }
        assertThat(lengths).containsExactly(false, true, true, true, true, true, true, true);
        assertThat(Trajectory.times(new double[] {0.5, 0.25, 0.25})).containsExactly(0.0, 0.5, 0.75);
    }

    @Test
    void recordsEveryBlockOfEveryLoop() {
        TrainableModel model = recurrent(with(Map.of("loops", "2")), 1);
        List<Recorder.Step> steps = new ArrayList<>();
        model.forward(Tape.inference(), BATCH, steps::add);
        assertThat(steps).extracting(Recorder.Step::name).containsExactly("embed", "loop.1.block.1",
                "loop.1.block.2", "loop.2.block.1", "loop.2.block.2");
        assertThat(steps.get(1).attention()).hasDimensions(2, 2);
        assertThat(steps.get(1).active()).containsExactly(true, true, true, true, true, true, false, false);
    }

    @Test
    void sharesItsBlocksAcrossLoops() {
        var info = recurrent(with(Map.of("loops", "5", "blocks", "3")), 1).info();
        assertThat(info.uniqueLayers()).isEqualTo(3);
        assertThat(info.effectiveLayers()).isEqualTo(15);
    }

    private double consistency(RecurrentModel model, int step) {
        return model.forward(Tape.training(), BATCH, new ForwardOptions(0, null, step, null)).auxLosses().get(0)
                .value().value().getDouble(0);
    }

    private RecurrentModel recurrent(Map<String, String> settings, long seed) {
        return (RecurrentModel) ArchitectureConformance.build(architecture, architecture.schema().resolve(settings),
                seed);
    }

    private static double[] logits(RecurrentModel model, ForwardOptions options) {
        return model.forward(Tape.inference(), BATCH, options).logits().value().dup().data().asDouble();
    }

    private static Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(overrides);
        return settings;
    }
}
