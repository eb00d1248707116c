package org.recursa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.recursa.api.Config;
import org.recursa.api.ExtensionKind;
import org.recursa.engine.host.Bf16Support;
import org.recursa.engine.host.EngineDescription;
import org.recursa.engine.host.ProductPrecision;
import org.recursa.engine.host.Threads;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.UsageException;
import org.recursa.runtime.bench.TrainBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa bench train}: training tokens/s of each architecture on the reference configuration (d=128 or
 * 256, 4 heads, FFN 4d, the architecture's other defaults, batch 64 x 32, vocabulary 16), and, where PyTorch is
 * installed, the identical model in PyTorch in the same invocation, with the ratio. With {@code --repeat N} the two
 * sides run alternately N times per row and the row shows medians: on a shared machine single readings drift by a
 * few percent, and a pair run back to back drifts together, so the median of the pairwise ratios is the figure to
 * trust. With {@code --threads N} Recursa trains with N kernel threads and PyTorch runs at every thread count from 1 to
 * N; each run's ratio is against PyTorch's fastest count of that run, the fair comparison at a machine's full width.
 * With {@code --precision bf16} Recursa's layer products take bf16 operands ({@code train.precision=bf16}) and
 * PyTorch trains under {@code torch.autocast("cpu", dtype=torch.bfloat16)}, its own mixed precision.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Training throughput per architecture, side by side with PyTorch when python3-torch is installed.")
final class BenchTrainCommand implements Runnable {

    @ParentCommand
    private BenchCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--arch", split = ",", paramLabel = "ID",
            description = "Architectures (default: every installed one that declares a PyTorch mirror of its "
                    + "benchmark configuration).")
    private List<String> architectures;

    @Option(names = "--width", split = ",", paramLabel = "D", description = "Model widths (default: 128,256).")
    private List<Integer> widths = new ArrayList<>(List.of(128, 256));

    @Option(names = "--steps", defaultValue = "20", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    private int steps;

    // Both sides get the same untimed steps. Ten let the JVM compile the engine's kernels before timing starts,
    // so the figure is the throughput of a real run, which lasts hundreds of steps.
    @Option(names = "--warmup", defaultValue = "10",
            description = "Untimed steps before the timed ones, on both sides (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Runs of each side per row, alternating; the row shows medians and the ratios' range "
                    + "(default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(names = "--torch", defaultValue = "auto", paramLabel = "auto|off",
            description = "Run the PyTorch side when python3 can import torch (default: ${DEFAULT-VALUE}).")
    private String torch;

    @Option(names = "--torch-threads", paramLabel = "N",
            description = "PyTorch threads, OpenBLAS's own pool included (default: every count from 1 to --threads, "
                    + "compared with the fastest).")
    private Integer torchThreads;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = {"Recursa's threads: data-parallel workers, each a shard of every batch with "
                    + "RECURSA_KERNEL_THREADS kernel threads (default 1), as train.threads in runs. PyTorch runs at "
                    + "every thread count from 1 to N and the ratio is against its fastest, since more threads do "
                    + "not always help it on small matrices (default: ${DEFAULT-VALUE})."})
    private int threads;

    @Option(names = "--precision", defaultValue = "float32", paramLabel = "float32|bf16",
            description = {"Layer products of both sides: float32, or bf16 operands with float32 accumulation "
                    + "(Recursa: train.precision=bf16, oneDNN; PyTorch: torch.autocast(\"cpu\", "
                    + "dtype=torch.bfloat16)). bf16 needs AVX512-BF16 or AMX (default: ${DEFAULT-VALUE})."})
    private String precision;

    @Override
    public void run() {
        if (steps < 1 || warmup < 0 || repeat < 1 || threads < 1 || (torchThreads != null && torchThreads < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps, --repeat, --threads and "
                    + "--torch-threads must be at least 1 and --warmup at least 0, got --steps " + steps + " --repeat "
                    + repeat + " --threads " + threads + " --torch-threads " + torchThreads + " --warmup " + warmup);
        }
        if (!ProductPrecision.NAMES.contains(precision)) {
            throw new UsageException("--precision must be one of " + String.join(", ", ProductPrecision.NAMES)
                    + ", got '" + precision + "'");
        }
        if (precision.equals(ProductPrecision.BF16.id()) && Bf16Support.missingHere().isPresent()) {
            throw new UsageException(Bf16Support.error("--precision "));
        }
        List<Integer> torchCounts = torchThreads != null ? List.of(torchThreads)
                : java.util.stream.IntStream.rangeClosed(1, threads).boxed().toList();
        PrintWriter out = spec.commandLine().getOut();
        RecursaCommand root = spec.commandLine().getParent().getParent().getCommand();
        Optional<TorchScript> script = torch.equals("off") ? Optional.empty() : TorchScript.find("torch_train.py");
        try (RecursaHost host = HostSession.open(root)) {
            // The GEMM libraries decide most of the figure (bin/recursa picks the OpenBLAS, RECURSA_GEMM the split).
            out.println("OpenBLAS: " + EngineDescription.blasLibrary());
            out.println("Products: " + EngineDescription.productLibrary());
            out.println("Recursa: " + threads + " data-parallel worker(s) of " + Threads.configured()
                    + " kernel thread(s); PyTorch: " + describe(torchCounts));
            out.println("Precision: " + precision + (precision.equals("bf16")
                    ? " layer products (Recursa: oneDNN bf16 matmul; PyTorch: autocast bf16)" : ""));
            Table table = repeat == 1
                    ? new Table("ARCH", "WIDTH", "RECURSA TOK/S", "PYTORCH TOK/S", "PYTORCH THREADS", "RATIO")
                    : new Table("ARCH", "WIDTH", "RECURSA TOK/S", "PYTORCH TOK/S", "PYTORCH THREADS", "RATIO",
                    "RATIO RANGE");
            for (String id : architectures == null ? mirrored(host) : architectures) {
                TrainableArchitecture architecture = host.registry().require(TrainableArchitecture.class, id);
                for (int width : widths) {
                    Config config = architecture.schema().resolve(benchSettings(width));
                    Optional<List<String>> mirror = script.isEmpty() ? Optional.empty()
                            : architecture.pytorchMirror(config).map(TorchScript::mirrorArguments);
                    Readings readings = new Readings();
                    for (int run = 0; run < repeat; run++) {
                        double ours = recursa(architecture, config);
                        List<String> said = new ArrayList<>();
                        Optional<Best> best = Optional.empty();
                        for (int count : mirror.isPresent() ? torchCounts : List.<Integer>of()) {
                            Optional<Double> reading = pytorch(script.get(), mirror.get(), count);
                            reading.ifPresent(t -> said.add(String.format(Locale.ROOT, "%,.0f tok/s at %d", t,
                                    count)));
                            if (reading.isPresent() && (best.isEmpty() || reading.get() > best.get().tokens())) {
                                best = Optional.of(new Best(reading.get(), count));
                            }
                        }
                        readings.add(ours, best);
                        out.printf(Locale.ROOT, "%s d=%d%s: %,.0f tok/s%s%n", id, width,
                                repeat == 1 ? "" : " run " + (run + 1) + "/" + repeat, ours,
                                said.isEmpty() ? "" : ", PyTorch " + String.join(", ", said));
                        out.flush();
                    }
                    table.row(readings.cells(id, width, repeat > 1));
                }
            }
            out.println();
            table.print(out);
            if (script.isEmpty() && !torch.equals("off")) {
                out.println("PyTorch side skipped: python3 cannot import torch "
                        + "(apt-get install python3-torch libopenblas0-pthread)");
            }
        }
        out.flush();
    }

    /**
     * Recursa's tokens/s with {@code --threads} data-parallel workers and {@code --precision} products (every
     * worker computes in this thread's precision), this thread's precision restored afterwards.
     */
    private double recursa(TrainableArchitecture architecture, Config config) {
        try (ProductPrecision.Scope products = ProductPrecision.of(precision).use()) {
            return TrainBenchmark.run(architecture, config, 64, 32, warmup, steps, 1, threads).tokensPerSecond();
        }
    }

    private static String describe(List<Integer> counts) {
        return counts.size() == 1 ? counts.get(0) + " thread(s)" : "1 to " + counts.get(counts.size() - 1)
                + " threads, the fastest counts";
    }

    /** PyTorch's fastest reading of one run and the thread count that gave it. */
    record Best(double tokens, int threads) {
    }

    /**
     * One row's readings: Recursa's tokens/s per run and, where PyTorch ran alongside, its fastest reading of that
     * run and the ratio of each pair.
     */
    static final class Readings {

        private final List<Double> ours = new ArrayList<>();
        private final List<Double> theirs = new ArrayList<>();
        private final List<Integer> theirThreads = new ArrayList<>();
        private final List<Double> ratios = new ArrayList<>();

        void add(double recursa, Optional<Best> pytorch) {
            ours.add(recursa);
            pytorch.ifPresent(best -> {
                theirs.add(best.tokens());
                theirThreads.add(best.threads());
                ratios.add(recursa / best.tokens());
            });
        }

        /**
         * The table cells: medians, the thread counts at which PyTorch was fastest (each run's), and with
         * {@code range} the lowest and highest pairwise ratio.
         */
        Object[] cells(String id, int width, boolean range) {
            List<Object> cells = new ArrayList<>(List.of(id, width, String.format(Locale.ROOT, "%,.0f", median(ours)),
                    theirs.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", median(theirs)),
                    theirThreads.isEmpty() ? "-" : String.join(",", theirThreads.stream().map(String::valueOf)
                            .toList()),
                    ratios.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2fx", median(ratios))));
            if (range) {
                cells.add(ratios.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f-%.2fx",
                        Collections.min(ratios), Collections.max(ratios)));
            }
            return cells.toArray();
        }

        /** The middle value; the mean of the two middle values of an even count. */
        static double median(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }
    }

    /** Installed architectures whose benchmark configuration (at any width) has a PyTorch mirror, by id. */
    private List<String> mirrored(RecursaHost host) {
        return host.registry().list(ExtensionKind.ARCHITECTURE).stream()
                .map(entry -> (TrainableArchitecture) entry.extension())
                .filter(architecture -> widths.stream().anyMatch(width -> architecture.pytorchMirror(
                        architecture.schema().resolve(benchSettings(width))).isPresent()))
                .map(TrainableArchitecture::id).toList();
    }

    private Optional<Double> pytorch(TorchScript script, List<String> mirror, int count) {
        List<String> arguments = new ArrayList<>(List.of("--steps", Integer.toString(steps), "--warmup",
                Integer.toString(warmup), "--precision", precision));
        arguments.addAll(mirror);
        return script.run(arguments, count, spec.commandLine().getErr())
                .map(line -> line.get("tokens_per_s").asDouble());
    }

    /** The benchmark settings of width {@code width}: 4 heads, FFN 4d, the architecture's other defaults. */
    static Map<String, String> benchSettings(int width) {
        return Map.of("d_model", Integer.toString(width), "heads", "4", "ffn", Integer.toString(4 * width));
    }
}
