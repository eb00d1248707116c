package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Parameter;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.host.EngineStart;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.optim.AdamW;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runtime.train.DataParallel;
import org.recursa.runtime.train.Encoding;

/**
 * Data-parallel training gives the single-thread results up to the order of float sums, and a fixed number of
 * workers the same results bit for bit: 50 steps of AdamW on batches of different lengths (padding) whose loss
 * covers only the second half of each row, as a task's answer.
 */
class DataParallelTest {

    private static final int STEPS = 50;
    private static final int VOCABULARY = 12;
    private static final int LENGTH = 14;
    private static final Map<String, String> SMALL = Map.of("d_model", "32", "heads", "2", "ffn", "64");

    @TempDir
    static Path home;
    private static RecursaHost host;

    @BeforeAll
    static void start() {
        host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    /** The architecture as the host's registry offers it, from its bundle in a real Felix. */
    private static TrainableArchitecture architecture(String id) {
        return host.registry().require(TrainableArchitecture.class, id);
    }

    @Test
    void vanillaTrainsAlikeOnOneAndTwoThreadsAndRepeatsBitForBitOnTwo() {
        check(architecture("vanilla"), SMALL);
    }

    @Test
    void universalWithActAndItsPonderLossSplitsExactly() {
        Map<String, String> settings = new java.util.HashMap<>(SMALL);
        settings.put("act", "true");
        settings.put("ponder_weight", "0.1");
        check(architecture("universal"), settings);
    }

    @Test
    void mixtureOfRecursionsWithExpertChoiceAndItsRouterLossSplitsExactly() {
        Map<String, String> settings = new java.util.HashMap<>(SMALL);
        settings.put("aux_weight", "0.1");
        check(architecture("mor"), settings);
    }

    @Test
    void threeWorkersOnABatchOfFiveRowsSplitUnevenlyAndStillMatchOneThread() {
        TrainableArchitecture vanilla = architecture("vanilla");
        Trace one = train(vanilla, SMALL, 1, 5, 10);
        Trace three = train(vanilla, SMALL, 3, 5, 10);
        assertClose(one, three, "vanilla, 3 workers over 5 rows");
    }

    private static void check(TrainableArchitecture architecture, Map<String, String> settings) {
        Trace one = train(architecture, settings, 1, 16, STEPS);
        Trace two = train(architecture, settings, 2, 16, STEPS);
        Trace again = train(architecture, settings, 2, 16, STEPS);
        assertClose(one, two, architecture.id());
        assertThat(again.losses).as("%s: two workers, run twice", architecture.id()).isEqualTo(two.losses);
        assertThat(again.weights).as("%s: final weights, two workers, run twice", architecture.id())
                .isEqualTo(two.weights);
        assertThat(one.losses.get(STEPS - 1)).as("%s: it learns", architecture.id())
                .isLessThan(one.losses.get(0) * 0.95);
    }

    private static void assertClose(Trace expected, Trace actual, String label) {
        assertThat(actual.losses).hasSameSizeAs(expected.losses);
        for (int step = 0; step < expected.losses.size(); step++) {
            double reference = expected.losses.get(step);
            assertThat(actual.losses.get(step)).as("%s: loss at step %d", label, step + 1)
                    .isCloseTo(reference, within(Math.abs(reference) * 1e-5));
        }
    }

    /** Losses per step and the final weights. */
    private record Trace(List<Double> losses, float[] weights) {
    }

    private static Trace train(TrainableArchitecture architecture, Map<String, String> settings, int threads,
                               int rows, int steps) {
        EngineStart.start();
        TrainableModel model = architecture.build(new ModelSpec(VOCABULARY, LENGTH, 7),
                architecture.schema().resolve(settings));
        AdamW optimizer = new AdamW(model.parameters(), AdamW.Settings.defaults());
        SplittableRandom random = new SplittableRandom(11);
        List<Double> losses = new ArrayList<>();
        try (DataParallel passes = new DataParallel(model, threads)) {
            assertThat(passes.threads()).isEqualTo(threads);
            for (int step = 0; step < steps; step++) {
                try (Scratch scratch = Scratch.open("train")) {
                    losses.add(passes.backward(batch(random, rows), null).total());
                    optimizer.step(3e-3);
                }
            }
        }
        return new Trace(losses, weights(model));
    }

    /**
     * Rows of 4 to {@link #LENGTH} tokens, padded with 0; each row's second half is to be copied from its first, and
     * only that half is supervised.
     */
    private static Encoding.Batch batch(SplittableRandom random, int rows) {
        int[][] sequences = new int[rows][];
        for (int b = 0; b < rows; b++) {
            int half = 2 + random.nextInt(LENGTH / 2 - 1);
            sequences[b] = new int[2 * half];
            for (int t = 0; t < half; t++) {
                sequences[b][t] = 3 + random.nextInt(VOCABULARY - 3);
                sequences[b][half + t] = sequences[b][t];
            }
        }
        TokenBatch tokens = TokenBatch.of(sequences, 0);
        int[] targets = new int[tokens.ids().length];
        Arrays.fill(targets, CrossEntropy.IGNORE);
        int counted = 0;
        for (int b = 0; b < rows; b++) {
            int half = sequences[b].length / 2;
            for (int t = half - 1; t + 1 < sequences[b].length; t++) {
                targets[b * tokens.length() + t] = sequences[b][t + 1];
                counted++;
            }
        }
        return new Encoding.Batch(tokens, targets, counted);
    }

    private static float[] weights(TrainableModel model) {
        List<Float> all = new ArrayList<>();
        for (Parameter parameter : model.parameters().all()) {
            for (float value : parameter.value().dup().data().asFloat()) {
                all.add(value);
            }
        }
        float[] values = new float[all.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = all.get(i);
        }
        return values;
    }
}
