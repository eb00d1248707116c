package org.recursa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recursa bench catalog}: the catalog server's search latency over 10,000 synthetic plugin entries, and the
 * install time of a plugin with a three-deep dependency chain from a catalog server on the loopback address.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Catalog benchmark: search p50/p90/p99 over synthetic plugin entries, install time of a plugin "
                + "with a three-deep dependency chain from a local catalog server.")
final class BenchCatalogCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = "--plugins", defaultValue = "10000",
            description = "Synthetic catalog entries to search (default: ${DEFAULT-VALUE}).")
    private int plugins;

    @Option(names = "--requests", defaultValue = "2000",
            description = "Timed search requests (default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--warmup", defaultValue = "500",
            description = "Untimed search requests first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--seed", defaultValue = "18", description = "Seed of the synthetic entries (default: "
            + "${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--installs", defaultValue = "5",
            description = "Timed installs, each on a fresh home; 0 skips the install part (default: ${DEFAULT-VALUE}).")
    private int installs;

    @Option(names = "--dir", defaultValue = "target/bench-catalog", paramLabel = "DIR",
            description = "Work directory for the repositories and homes; emptied parts are rewritten "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Override
    public void run() {
        if (plugins < 1 || requests < 1 || warmup < 0 || installs < 0) {
            throw new UsageException("--plugins and --requests must be positive, --warmup and --installs not "
                    + "negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path work = dir.toAbsolutePath();
            CatalogSearchBenchmark.run(work, plugins, warmup, requests, seed, out);
            if (installs > 0) {
                CatalogInstallBenchmark.run(work, installs, out);
            }
        } catch (IOException e) {
            throw new RecursaException("the benchmark failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecursaException("the benchmark was interrupted", e);
        }
    }
}
