package org.recursa.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunStore;

/** The aggregate over seeds, from real run directories, against numbers worked out by hand. */
class SweepAggregateTest {

    @TempDir
    Path home;

    @Test
    void statisticsPerConfigurationSplitAndFeatureValue() {
        SweepSpec spec = new SweepSpec("binary-successor", "io", "greedy", null, Map.of(),
                List.of(GridAxis.parse("arch=vanilla,mor")), List.of(), 0, 1, Seeds.parse("1..3"));
        Sweep sweep = SweepStore.at(home.resolve("sweeps")).create(null, spec, Instant.now()).sweep();
        RunStore store = RunStore.at(home.resolve("runs"));
        double[] vanillaSeq = {0.50, 0.70, 0.90};
        double[] vanillaCarry6 = {0.4, 0.6, 0.8};
        for (SweepPoint point : sweep.plan().points()) {
            int i = (int) point.seed() - 1;
            boolean vanilla = point.arch().equals("vanilla");
            if (!vanilla && point.seed() == 3) {
                Runs.failed(store, sweep, point, "diverged"); // mor has two finished seeds
                continue;
            }
            Map<String, FinalRecord.SplitResult> splits = new LinkedHashMap<>();
            splits.put("test-id", new FinalRecord.SplitResult(100, vanilla ? 0.9 : 0.95, vanilla ? vanillaSeq[i]
                    : 0.25 + 0.5 * i, null, Map.of()));
            Map<String, FinalRecord.Cell> carry = new LinkedHashMap<>();
            carry.put("6", new FinalRecord.Cell(50, 0.9, vanilla ? vanillaCarry6[i] : 0.5));
            if (point.seed() != 2) {
                carry.put("10", new FinalRecord.Cell(5, 0.5, 0.2));
            }
            splits.put("test-ood-carry", new FinalRecord.SplitResult(100, 0.8, 0.3, null,
                    Map.of("carry_chain", carry)));
            Runs.finished(store, sweep, point, splits);
        }

        SweepAggregate aggregate = SweepAggregate.of(sweep, store);
        assertThat(aggregate.counts()).isEqualTo(new SweepState.Counts(5, 0, 0, 1));
        assertThat(aggregate.splits()).containsExactly("test-id", "test-ood-carry");
        SweepAggregate.Group vanilla = aggregate.groups().get(0);
        assertThat(vanilla.config()).isEqualTo("arch=vanilla");
        assertThat(vanilla.points()).isEqualTo(3);
        assertThat(vanilla.runs()).extracting(SweepAggregate.Run::seed).containsExactly(1L, 2L, 3L);
        Stats seq = vanilla.splits().get("test-id").seqAcc();
        // mean 0.7; squares 0.04 + 0 + 0.04 = 0.08, / 2 = 0.04, sd 0.2; half = t(0.975, 2) * 0.2 / sqrt 3
        assertThat(seq.n()).isEqualTo(3);
        assertThat(seq.mean()).isCloseTo(0.7, within(1e-12));
        assertThat(seq.sd()).isCloseTo(0.2, within(1e-12));
        assertThat(seq.half()).isCloseTo(4.30265273 * 0.2 / Math.sqrt(3), within(1e-7));
        assertThat(vanilla.splits().get("test-id").tokenAcc().sd()).isCloseTo(0, within(1e-12));
        Map<String, Stats> carry = vanilla.splits().get("test-ood-carry").byFeature().get("carry_chain");
        assertThat(carry).containsOnlyKeys("6", "10");
        assertThat(List.copyOf(carry.keySet())).as("values in numeric order").containsExactly("6", "10");
        assertThat(carry.get("6").mean()).isCloseTo(0.6, within(1e-12));
        assertThat(carry.get("10").n()).as("seed 2 had no example with carry 10").isEqualTo(2);

        SweepAggregate.Group mor = aggregate.groups().get(1);
        assertThat(mor.runs()).extracting(SweepAggregate.Run::seed).containsExactly(1L, 2L);
        Stats morSeq = mor.splits().get("test-id").seqAcc();
        assertThat(morSeq.mean()).isCloseTo(0.5, within(1e-12));
        assertThat(morSeq.sd()).isCloseTo(Math.sqrt(0.125), within(1e-12));
        assertThat(morSeq.half()).isCloseTo(12.7062047 * Math.sqrt(0.125) / Math.sqrt(2), within(1e-6));
        assertThat(mor.splits().get("test-ood-carry").byFeature().get("carry_chain").get("10").half()).isNaN();
    }

    @Test
    void accuracyPerInferenceDepthAndTrainingComputeOverSeeds() {
        SweepSpec spec = new SweepSpec("bool-eval", "io", "greedy", "universal", Map.of(),
                List.of(GridAxis.parse("train.depth_curriculum=none,cgar")), List.of(), 0, 1, Seeds.parse("1..2"));
        Sweep sweep = SweepStore.at(home.resolve("sweeps")).create(null, spec, Instant.now()).sweep();
        RunStore store = RunStore.at(home.resolve("runs"));
        for (SweepPoint point : sweep.plan().points()) {
            boolean cgar = point.values().get("train.depth_curriculum").equals("cgar");
            double seed = point.seed();
            Map<String, FinalRecord.SplitResult> splits = Map.of("test-id",
                    new FinalRecord.SplitResult(10, 0.5, 0.5, null, Map.of()));
            Map<String, Map<String, FinalRecord.SplitResult>> depths = new LinkedHashMap<>();
            for (int depth : new int[] {8, 2}) {
                depths.put(Integer.toString(depth), Map.of("test-id",
                        new FinalRecord.SplitResult(10, 0.5, depth / 10.0 + seed / 100, null, Map.of())));
            }
            // cgar: 70% of the full-depth multiply-adds; seconds 10 and 20 (none) or 7 and 9 (cgar)
            Runs.finished(store, sweep, point, splits, cgar ? 5 + 2 * seed : 10 * seed,
                    new FinalRecord.Training(cgar ? 70 : 100, 100, null), cgar ? depths : null);
        }

        SweepAggregate aggregate = SweepAggregate.of(sweep, store);
        SweepAggregate.Group none = aggregate.groups().get(0);
        SweepAggregate.Group cgar = aggregate.groups().get(1);
        assertThat(none.depths()).isEmpty();
        assertThat(List.copyOf(cgar.depths().keySet())).as("depths ascending").containsExactly(2, 8);
        Stats atTwo = cgar.depths().get(2).get("test-id").seqAcc();
        assertThat(atTwo.n()).isEqualTo(2);
        assertThat(atTwo.mean()).isCloseTo(0.215, within(1e-12));        // 0.21 and 0.22
        assertThat(cgar.depths().get(8).get("test-id").seqAcc().mean()).isCloseTo(0.815, within(1e-12));
        assertThat(none.compute().seconds().mean()).isCloseTo(15, within(1e-12));
        assertThat(cgar.compute().seconds().mean()).isCloseTo(8, within(1e-12));
        assertThat(cgar.compute().flops().mean() / cgar.compute().fullDepthFlops().mean()).isCloseTo(0.7,
                within(1e-12));
        assertThat(cgar.compute().steps().mean()).isEqualTo(5);
    }
}
