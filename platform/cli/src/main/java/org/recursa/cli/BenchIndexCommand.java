package org.recursa.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.recursa.index.bench.IndexBenchmark;
import org.recursa.runtime.RecursaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recursa bench index}: full rebuild time, incremental indexing rate and filter latency on synthetic runs
 * (100,000 runs with 20 params and 20 metrics, 10 artifacts each, by default).
 */
@Command(name = "index", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Index benchmark on synthetic runs: rebuild time, incremental rate, filter p50/p99 latency.")
final class BenchIndexCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = "--runs", defaultValue = "100000", description = "Synthetic runs (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--artifacts-per-run", defaultValue = "10",
            description = "Artifact records per run (default: ${DEFAULT-VALUE}, i.e. 1,000,000 for 100,000 runs).")
    private int artifactsPerRun;

    @Option(names = "--repeats", defaultValue = "50", description = "Searches per filter (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--dir", defaultValue = "target/bench-index", paramLabel = "DIR",
            description = "Work directory for the synthetic runs and their index; reused by later runs "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Override
    public void run() {
        try {
            IndexBenchmark.run(dir.toAbsolutePath(), runs, artifactsPerRun, repeats, spec.commandLine().getOut());
        } catch (IOException e) {
            throw new RecursaException("the benchmark failed: " + e.getMessage(), e);
        }
    }
}
