package org.recursa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.recursa.api.Config;
import org.recursa.engine.host.EngineDescription;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.bench.DecodeBenchmark;
import org.recursa.runtime.bench.TrainBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa bench decode}: generated tokens/s of greedy decoding per architecture, batch size and total length
 * (half prompt, half generated), three ways: Recursa recomputing every prefix ({@code nextTokenLogits} per token),
 * Recursa over its key/value cache ({@code openSession}, prefill then one step per token), and, where PyTorch is
 * installed, the architecture's PyTorch mirror decoding over a key/value cache of its own
 * ({@code bench/torch_decode.py}). The model is bench train's (4 heads, FFN 4d, the architecture's other defaults,
 * vocabulary 16), freshly initialised; the PyTorch mirror has weights of the same shapes but its own values, so only
 * Recursa's two paths are compared token for token: a row where they disagree fails the command after the table.
 * {@code --repeat N} alternates the three N times per row and shows medians, as bench train does.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Greedy decoding throughput, uncached and cached, side by side with PyTorch's KV-cache decoding "
                + "when python3-torch is installed.")
final class BenchDecodeCommand implements Runnable {

    @ParentCommand
    private BenchCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--arch", split = ",", paramLabel = "ID",
            description = "Architectures (default: vanilla,universal).")
    private List<String> architectures = new ArrayList<>(List.of("vanilla", "universal"));

    @Option(names = "--width", split = ",", paramLabel = "D", description = "Model widths (default: 128).")
    private List<Integer> widths = new ArrayList<>(List.of(128));

    @Option(names = "--lengths", split = ",", paramLabel = "L",
            description = "Total lengths: a prompt of L/2 tokens, then L - L/2 generated; the model's maximum length "
                    + "is L (default: 32,64,128,256).")
    private List<Integer> lengths = new ArrayList<>(List.of(32, 64, 128, 256));

    @Option(names = "--batch", split = ",", paramLabel = "B",
            description = "Sequences decoded together: 1 is one user's latency, 8 a small served batch "
                    + "(default: 1,8).")
    private List<Integer> batches = new ArrayList<>(List.of(1, 8));

    @Option(names = "--warmup", defaultValue = "1",
            description = "Untimed decodes of the same size before each timed one, on every side "
                    + "(default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Runs of each side per row, alternating; the row shows medians and the range of the "
                    + "cached/PyTorch ratio (default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(names = "--torch", defaultValue = "auto", paramLabel = "auto|off",
            description = "Run the PyTorch side when python3 can import torch (default: ${DEFAULT-VALUE}).")
    private String torch;

    @Option(names = "--torch-threads", defaultValue = "1",
            description = "PyTorch threads, OpenBLAS's own pool included; 1 matches Recursa's one kernel thread "
                    + "(default: ${DEFAULT-VALUE}).")
    private int torchThreads;

    private Optional<TorchScript> script = Optional.empty();
    // mirrors torch_decode.py failed on (one without an incremental forward): not tried again
    private final Set<List<String>> failed = new HashSet<>();

    @Override
    public void run() {
        if (warmup < 0 || repeat < 1 || lengths.stream().anyMatch(l -> l < 2)
                || batches.stream().anyMatch(b -> b < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeat and --batch must be at least 1, "
                    + "--lengths at least 2 and --warmup at least 0, got --repeat " + repeat + " --batch " + batches
                    + " --lengths " + lengths + " --warmup " + warmup);
        }
        PrintWriter out = spec.commandLine().getOut();
        RecursaCommand root = spec.commandLine().getParent().getParent().getCommand();
        script = torch.equals("off") ? Optional.empty() : TorchScript.find("torch_decode.py");
        int mismatched = 0;
        try (RecursaHost host = HostSession.open(root)) {
            out.println("OpenBLAS: " + EngineDescription.blasLibrary());
            out.println("Products: " + EngineDescription.productLibrary());
            Table table = new Table(Readings.header(repeat > 1));
            for (String id : architectures) {
                TrainableArchitecture architecture = host.registry().require(TrainableArchitecture.class, id);
                for (int width : widths) {
                    Config config = architecture.schema().resolve(BenchTrainCommand.benchSettings(width));
                    Optional<List<String>> mirror = script.isEmpty() ? Optional.empty()
                            : architecture.pytorchMirror(config).map(TorchScript::mirrorArguments);
                    for (int batch : batches) {
                        for (int length : lengths) {
                            Readings readings = measure(id, architecture, config, mirror, batch, length);
                            mismatched += readings.mismatches();
                            table.row(readings.cells(id, width, length, repeat > 1));
                        }
                    }
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
        if (mismatched > 0) {
            throw new RecursaException("cached and uncached greedy decoding disagree in " + mismatched + " row(s) "
                    + "(MISMATCHES): the key/value cache does not compute what the full pass computes");
        }
    }

    /** One row: {@code repeat} runs of the two Recursa paths, each followed by PyTorch's, with a line per run. */
    private Readings measure(String id, TrainableArchitecture architecture, Config config,
                             Optional<List<String>> mirror, int batch, int length) {
        PrintWriter out = spec.commandLine().getOut();
        Readings readings = new Readings(batch);
        for (int run = 0; run < repeat; run++) {
            DecodeBenchmark.Result ours = DecodeBenchmark.run(architecture, config, batch, length / 2,
                    length - length / 2, warmup, 1);
            Optional<Double> theirs = mirror.filter(m -> !failed.contains(m))
                    .flatMap(m -> pytorch(m, batch, length));
            readings.add(ours, theirs);
            out.printf(Locale.ROOT, "%s d=%d B=%d L=%d%s: uncached %,.0f tok/s, cached %,.0f tok/s%s%n", id,
                    config.getInt("d_model"), batch, length, repeat == 1 ? "" : " run " + (run + 1) + "/" + repeat,
                    ours.uncached().tokensPerSecond(), ours.cached().tokensPerSecond(),
                    theirs.map(t -> String.format(Locale.ROOT, ", PyTorch %,.0f tok/s", t)).orElse(""));
            out.flush();
        }
        return readings;
    }

    /** One row's readings: per run, both Recursa figures, PyTorch's when it ran, and the rows that disagreed. */
    static final class Readings {

        private final int batch;
        private final List<Double> uncached = new ArrayList<>();
        private final List<Double> cached = new ArrayList<>();
        private final List<Double> theirs = new ArrayList<>();
        private final List<Double> speedups = new ArrayList<>();
        private final List<Double> ratios = new ArrayList<>();
        private int mismatches;

        Readings(int batch) {
            this.batch = batch;
        }

        /** The column names; with {@code range} the cached/PyTorch ratio's range too. */
        static String[] header(boolean range) {
            List<String> header = new ArrayList<>(List.of("ARCH", "WIDTH", "BATCH", "LENGTH", "UNCACHED TOK/S",
                    "CACHED TOK/S", "PYTORCH TOK/S", "CACHED/UNCACHED", "CACHED/PYTORCH"));
            if (range) {
                header.add("CACHED/PYTORCH RANGE");
            }
            header.add("MISMATCHES");
            return header.toArray(String[]::new);
        }

        void add(DecodeBenchmark.Result ours, Optional<Double> pytorch) {
            add(ours.uncached().tokensPerSecond(), ours.cached().tokensPerSecond(), ours.mismatches(), pytorch);
        }

        void add(double recomputed, double fromCache, int differing, Optional<Double> pytorch) {
            uncached.add(recomputed);
            cached.add(fromCache);
            speedups.add(fromCache / recomputed);
            mismatches = Math.max(mismatches, differing);
            pytorch.ifPresent(t -> {
                theirs.add(t);
                ratios.add(fromCache / t);
            });
        }

        /** The most rows that disagreed in one run. */
        int mismatches() {
            return mismatches;
        }

        /** The table cells: medians of the figures and of the pairwise ratios, the range, and the mismatches. */
        Object[] cells(String id, int width, int length, boolean range) {
            List<Object> cells = new ArrayList<>(List.of(id, width, batch, length, figure(uncached), figure(cached),
                    theirs.isEmpty() ? "-" : figure(theirs), ratio(speedups),
                    ratios.isEmpty() ? "-" : ratio(ratios)));
            if (range) {
                cells.add(ratios.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f-%.2fx",
                        Collections.min(ratios), Collections.max(ratios)));
            }
            cells.add(mismatches + "/" + batch);
            return cells.toArray();
        }

        private static String figure(List<Double> values) {
            return String.format(Locale.ROOT, "%,.0f", BenchTrainCommand.Readings.median(values));
        }

        private static String ratio(List<Double> values) {
            return String.format(Locale.ROOT, "%.2fx", BenchTrainCommand.Readings.median(values));
        }
    }

    /**
     * torch_decode.py's tokens/s for the mirror at this size; a mirror it fails on (one without an incremental
     * forward) joins {@link #failed} and is not tried again.
     */
    private Optional<Double> pytorch(List<String> mirror, int batch, int length) {
        List<String> arguments = new ArrayList<>(List.of("--batch", Integer.toString(batch), "--prompt",
                Integer.toString(length / 2), "--new", Integer.toString(length - length / 2), "--vocab",
                Integer.toString(TrainBenchmark.VOCABULARY), "--warmup", Integer.toString(warmup)));
        arguments.addAll(mirror);
        Optional<Double> figure = script.orElseThrow().run(arguments, torchThreads, spec.commandLine().getErr())
                .map(line -> line.get("tokens_per_s").asDouble());
        if (figure.isEmpty()) {
            failed.add(mirror);
        }
        return figure;
    }
}
