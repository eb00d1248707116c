package org.recursa.index.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.recursa.index.LuceneRunIndex;
import org.recursa.index.RunIndex;
import org.recursa.runstore.RunStore;

/**
 * The index benchmark ({@code recursa bench index}, bench/index.sh): synthetic runs written through the run
 * store with 20 params and 20 metrics each and N artifact records per run, then full-rebuild time, the time a
 * search takes to start answering (open, catch up, search), journal-driven incremental indexing, and the p50/p99
 * latency of a fixed set of run filters (sorted, top 100) and artifact filters. Figures go to
 * docs/benchmarks.md; nothing here is asserted.
 */
public final class IndexBenchmark {

    /** The 20 run filters, each sorted by a metric, top 100. */
    static final List<String[]> RUN_FILTERS = List.of(
            new String[] {"metrics.seq_acc_test_id > 0.5", "metrics.seq_acc_ood DESC"},
            new String[] {"params.arch = 'mor'", "metrics.seq_acc_test_id DESC"},
            new String[] {"params.arch = 'universal' and metrics.seq_acc_ood > 0.3", "metrics.seq_acc_ood DESC"},
            new String[] {"params.task = 'binary-successor' and params.mode = 'trace'", "metrics.steps ASC"},
            new String[] {"metrics.seq_acc_split_2 >= 0.9 and metrics.seq_acc_split_3 < 0.2", "metrics.seconds ASC"},
            new String[] {"params.arch IN ('mor', 'relaxed')", "metrics.seq_acc_ood DESC"},
            new String[] {"tags.note LIKE '%carry%'", "metrics.seq_acc_ood DESC"},
            new String[] {"tags.note ILIKE '%CARRY%' and params.arch != 'vanilla'", "metrics.seq_acc_test_id DESC"},
            new String[] {"attributes.status = 'finished'", "attributes.start_time DESC"},
            new String[] {"attributes.start_time > 1700000000000", "attributes.start_time DESC"},
            new String[] {"params.train.lr = '0.001' and params.arch.d_model = '128'", "metrics.final_loss ASC"},
            new String[] {"metrics.final_loss < 0.01", "metrics.final_loss ASC"},
            new String[] {"(params.arch = 'mor' or params.arch = 'universal') and metrics.seq_acc_ood > 0.5",
                    "metrics.seq_acc_ood DESC"},
            new String[] {"params.seed = '7'", "metrics.seq_acc_test_id DESC"},
            new String[] {"metrics.parameters > 300000", "metrics.parameters DESC"},
            new String[] {"params.task.max_bits = '12' and metrics.seq_acc_ood > 0.1", "metrics.seq_acc_ood DESC"},
            new String[] {"params.arch LIKE 'rel%'", "metrics.tokens_per_s DESC"},
            new String[] {"metrics.seq_acc_ood > 0.99", "metrics.seq_acc_ood DESC"},
            new String[] {"params.sampler = 'greedy' and attributes.status != 'failed'", "metrics.seq_acc_test_id DESC"},
            new String[] {"", "attributes.start_time DESC"});

    /** Artifact filters. */
    static final List<String> ARTIFACT_FILTERS = List.of(
            "task = 'binary-successor' and verdict = 'wrong' and carry_chain >= 6 and run.params.arch = 'universal'",
            "verdict = 'wrong' and split = 'test-ood-carry'",
            "carry_chain >= 8",
            "run.params.arch = 'mor' and depth_mean > 2.5",
            "first_error = 0 and bits > 10");


    private IndexBenchmark() {
    }

    /**
     * Runs the benchmark in {@code work} (created; reused when it already holds at least {@code runs} runs).
     *
     * @param runs             synthetic runs
     * @param artifactsPerRun  artifact records per run
     * @param repeats          searches per filter for the latency figures
     */
    public static void run(Path work, int runs, int artifactsPerRun, int repeats, PrintWriter out) throws IOException {
        RunStore store = RunStore.at(work.resolve("runs"));
        Path indexDir = work.resolve("index");
        long t0 = System.nanoTime();
        int generated = generate(store, runs, artifactsPerRun, out);
        out.printf(Locale.ROOT, "generated %,d runs through the run store (%,d artifact records each) in %.1f s%n",
                generated, artifactsPerRun, seconds(t0));
        out.flush();
        int total;
        try (RunIndex index = LuceneRunIndex.open(indexDir, Duration.ofSeconds(5), () -> { })) {
            long t1 = System.nanoTime();
            RunIndex.Sync sync = index.rebuild(store, line -> {
                out.println("  " + line);
                out.flush();
            });
            double rebuild = seconds(t1);
            total = sync.indexed();
            out.printf(Locale.ROOT, "full rebuild: %,d runs + %,d artifacts in %.1f s (%,.0f runs/s)%n", sync.indexed(),
                    (long) sync.indexed() * artifactsPerRun, rebuild, sync.indexed() / rebuild);
        }
        // What every 'recursa runs search' does first: open the index, catch up with the journal, answer.
        List<Double> starts = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            long s = System.nanoTime();
            try (RunIndex index = LuceneRunIndex.open(indexDir, Duration.ofSeconds(5), () -> { })) {
                index.catchUp(store, line -> { });
                index.searchRuns(RUN_FILTERS.get(0)[0], RUN_FILTERS.get(0)[1], 100);
            }
            starts.add(seconds(s));
        }
        out.printf(Locale.ROOT, "search start on %,d runs (open, catch up with no changes, first sorted top-100 "
                + "search; 5 times): median %.3f s, max %.3f s%n", total, percentile(starts, 50), percentile(starts, 100));
        out.flush();
        try (RunIndex index = LuceneRunIndex.open(indexDir, Duration.ofSeconds(5), () -> { })) {
            int extra = Math.max(100, runs / 100);
            for (int i = 0; i < extra; i++) {
                SyntheticRuns.write(store, runs + i, artifactsPerRun);
            }
            long t2 = System.nanoTime();
            RunIndex.Sync incremental = index.catchUp(store, line -> { });
            double catchUp = seconds(t2);
            out.printf(Locale.ROOT, "incremental: %,d new runs taken from the journal and indexed in %.2f s (%,.0f "
                    + "runs/s; %,d runs in the store)%n", incremental.indexed(), catchUp, incremental.indexed() / catchUp,
                    store.ids().size());
            out.flush();
            latencies(index, repeats, out);
        }
    }

    private static void latencies(RunIndex index, int repeats, PrintWriter out) {
        List<Double> runLatencies = new ArrayList<>();
        for (String[] filter : RUN_FILTERS) {
            index.searchRuns(filter[0], filter[1], 100);
        }
        for (int r = 0; r < repeats; r++) {
            for (String[] filter : RUN_FILTERS) {
                long s = System.nanoTime();
                index.searchRuns(filter[0], filter[1], 100);
                runLatencies.add((System.nanoTime() - s) / 1e6);
            }
        }
        List<Double> artifactLatencies = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            for (String filter : ARTIFACT_FILTERS) {
                long s = System.nanoTime();
                index.searchArtifacts(filter, null, 100);
                artifactLatencies.add((System.nanoTime() - s) / 1e6);
            }
        }
        out.printf(Locale.ROOT, "run filters (%d filters x %d, sorted, top 100): p50 %.1f ms, p99 %.1f ms%n",
                RUN_FILTERS.size(), repeats, percentile(runLatencies, 50), percentile(runLatencies, 99));
        out.printf(Locale.ROOT, "artifact filters (%d filters x %d, top 100): p50 %.1f ms, p99 %.1f ms%n",
                ARTIFACT_FILTERS.size(), repeats, percentile(artifactLatencies, 50), percentile(artifactLatencies, 99));
        for (String[] filter : RUN_FILTERS) {
            RunIndex.Hits hits = index.searchRuns(filter[0], filter[1], 1);
            out.printf(Locale.ROOT, "  %s%7d runs  %s%n", hits.totalExact() ? " " : ">=", hits.total(),
                    filter[0].isEmpty() ? "(all)" : filter[0]);
        }
        out.flush();
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    /** Writes runs until the store holds {@code count}; returns how many it wrote. */
    private static int generate(RunStore store, int count, int artifactsPerRun, PrintWriter out) {
        int existing = store.ids().size();
        long started = System.nanoTime();
        for (int i = existing; i < count; i++) {
            SyntheticRuns.write(store, i, artifactsPerRun);
            if ((i + 1) % 10_000 == 0) {
                out.printf(Locale.ROOT, "  generated %,d of %,d runs (%,.0f runs/s)%n", i + 1 - existing,
                        count - existing, (i + 1 - existing) / seconds(started));
                out.flush();
            }
        }
        return Math.max(0, count - existing);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

}
