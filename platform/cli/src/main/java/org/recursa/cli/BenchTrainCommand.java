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
import org.recursa.engine.host.EngineDescription;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.runtime.RecursaHost;
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
 * trust.
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

    @Option(names = "--torch-threads", defaultValue = "1",
            description = "PyTorch threads, OpenBLAS's own pool included; 1 matches Recursa's one kernel thread "
                    + "(default: ${DEFAULT-VALUE}).")
    private int torchThreads;

    @Override
    public void run() {
        if (steps < 1 || warmup < 0 || repeat < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps and --repeat must be at least 1 "
                    + "and --warmup at least 0, got --steps " + steps + " --repeat " + repeat + " --warmup " + warmup);
        }
        PrintWriter out = spec.commandLine().getOut();
        RecursaCommand root = spec.commandLine().getParent().getParent().getCommand();
        Optional<TorchScript> script = torch.equals("off") ? Optional.empty() : TorchScript.find("torch_train.py");
        try (RecursaHost host = HostSession.open(root)) {
            // The GEMM library decides most of the figure (bin/recursa picks it, RECURSA_BLAS).
            out.println("OpenBLAS: " + EngineDescription.blasLibrary());
            Table table = repeat == 1 ? new Table("ARCH", "WIDTH", "RECURSA TOK/S", "PYTORCH TOK/S", "RATIO")
                    : new Table("ARCH", "WIDTH", "RECURSA TOK/S", "PYTORCH TOK/S", "RATIO", "RATIO RANGE");
            for (String id : architectures == null ? mirrored(host) : architectures) {
                TrainableArchitecture architecture = host.registry().require(TrainableArchitecture.class, id);
                for (int width : widths) {
                    Config config = architecture.schema().resolve(benchSettings(width));
                    Optional<List<String>> mirror = script.isEmpty() ? Optional.empty()
                            : architecture.pytorchMirror(config).map(TorchScript::mirrorArguments);
                    Readings readings = new Readings();
                    for (int run = 0; run < repeat; run++) {
                        double ours = TrainBenchmark.run(architecture, config, 64, 32, warmup, steps, 1)
                                .tokensPerSecond();
                        Optional<Double> theirs = mirror.flatMap(arguments -> pytorch(script.get(), arguments));
                        readings.add(ours, theirs);
                        out.printf(Locale.ROOT, "%s d=%d%s: %,.0f tok/s%s%n", id, width,
                                repeat == 1 ? "" : " run " + (run + 1) + "/" + repeat, ours,
                                theirs.map(t -> String.format(Locale.ROOT, ", PyTorch %,.0f tok/s", t)).orElse(""));
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

    /** One row's readings: Recursa's tokens/s per run and, where PyTorch ran alongside, the ratio of each pair. */
    static final class Readings {

        private final List<Double> ours = new ArrayList<>();
        private final List<Double> theirs = new ArrayList<>();
        private final List<Double> ratios = new ArrayList<>();

        void add(double recursa, Optional<Double> pytorch) {
            ours.add(recursa);
            pytorch.ifPresent(t -> {
                theirs.add(t);
                ratios.add(recursa / t);
            });
        }

        /** The table cells: medians, and with {@code range} the lowest and highest pairwise ratio. */
        Object[] cells(String id, int width, boolean range) {
            List<Object> cells = new ArrayList<>(List.of(id, width, String.format(Locale.ROOT, "%,.0f", median(ours)),
                    theirs.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", median(theirs)),
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

    private Optional<Double> pytorch(TorchScript script, List<String> mirror) {
        List<String> arguments = new ArrayList<>(List.of("--steps", Integer.toString(steps), "--warmup",
                Integer.toString(warmup)));
        arguments.addAll(mirror);
        return script.run(arguments, torchThreads, spec.commandLine().getErr())
                .map(line -> line.get("tokens_per_s").asDouble());
    }

    /** The benchmark settings of width {@code width}: 4 heads, FFN 4d, the architecture's other defaults. */
    static Map<String, String> benchSettings(int width) {
        return Map.of("d_model", Integer.toString(width), "heads", "4", "ffn", Integer.toString(4 * width));
    }
}
