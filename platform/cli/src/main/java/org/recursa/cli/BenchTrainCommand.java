package org.recursa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.Config;
import org.recursa.api.model.Architecture;
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
 * installed, the identical model in PyTorch in the same invocation, with the ratio.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Training throughput per architecture, side by side with PyTorch when python3-torch is installed.")
final class BenchTrainCommand implements Runnable {

    /** Architectures that bench/torch_train.py can mirror (mor: with recursion-wise KV, see {@link #mirror}). */
    private static final List<String> MIRRORED = List.of("vanilla", "universal", "mor");

    @ParentCommand
    private BenchCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--arch", split = ",", paramLabel = "ID",
            description = "Architectures (default: vanilla,universal,mor, the ones with a PyTorch mirror).")
    private List<String> architectures = new ArrayList<>(MIRRORED);

    @Option(names = "--width", split = ",", paramLabel = "D", description = "Model widths (default: 128,256).")
    private List<Integer> widths = new ArrayList<>(List.of(128, 256));

    @Option(names = "--steps", defaultValue = "20", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    private int steps;

    // Both sides get the same untimed steps. Ten let the JVM compile the engine's kernels before timing starts,
    // so the figure is the throughput of a real run, which lasts hundreds of steps.
    @Option(names = "--warmup", defaultValue = "10",
            description = "Untimed steps before the timed ones, on both sides (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--torch", defaultValue = "auto", paramLabel = "auto|off",
            description = "Run the PyTorch side when python3 can import torch (default: ${DEFAULT-VALUE}).")
    private String torch;

    @Option(names = "--torch-threads", defaultValue = "1",
            description = "PyTorch threads, OpenBLAS's own pool included; 1 matches Recursa's one kernel thread "
                    + "(default: ${DEFAULT-VALUE}).")
    private int torchThreads;

    @Override
    public void run() {
        if (steps < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps must be at least 1 and --warmup "
                    + "at least 0, got --steps " + steps + " --warmup " + warmup);
        }
        PrintWriter out = spec.commandLine().getOut();
        RecursaCommand root = spec.commandLine().getParent().getParent().getCommand();
        Optional<Path> script = torch.equals("off") ? Optional.empty() : torchScript();
        try (RecursaHost host = HostSession.open(root)) {
            Nd4j.getBackend();
            Table table = new Table("ARCH", "WIDTH", "RECURSA TOK/S", "PYTORCH TOK/S", "RATIO");
            for (String id : architectures) {
                Architecture architecture = host.registry().require(Architecture.class, id);
                for (int width : widths) {
                    Map<String, String> settings = Map.of("d_model", Integer.toString(width), "heads", "4",
                            "ffn", Integer.toString(4 * width));
                    Config config = architecture.schema().resolve(settings);
                    TrainBenchmark.Result ours = TrainBenchmark.run(architecture, config, 64, 32, warmup, steps, 1);
                    Optional<Double> theirs = script.flatMap(s -> mirror(id, config)
                            .flatMap(arguments -> pytorch(s, id, width, arguments)));
                    table.row(id, width, String.format(Locale.ROOT, "%,.0f", ours.tokensPerSecond()),
                            theirs.map(t -> String.format(Locale.ROOT, "%,.0f", t)).orElse("-"),
                            theirs.map(t -> String.format(Locale.ROOT, "%.2fx", ours.tokensPerSecond() / t)).orElse("-"));
                    out.printf(Locale.ROOT, "%s d=%d: %,.0f tok/s%n", id, width, ours.tokensPerSecond());
                    out.flush();
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
     * The architecture-specific arguments of torch_train.py that make its model the one Recursa benchmarks, or
     * empty when the script has no mirror of it (mor's mirror gathers the routed tokens, which is recursion-wise
     * KV; it has no recursive KV sharing).
     */
    static Optional<List<String>> mirror(String id, Config config) {
        if (!MIRRORED.contains(id)) {
            return Optional.empty();
        }
        if (!id.equals("mor")) {
            return Optional.of(List.of());
        }
        if (!config.getString("kv").equals("recursion") || config.getDouble("dropout") != 0) {
            return Optional.empty();
        }
        return Optional.of(List.of("--recursions", Integer.toString(config.getInt("recursions")), "--base-depth",
                Integer.toString(config.getInt("base_depth")), "--router", config.getString("router"),
                "--gate-scale", Double.toString(config.getDouble("gate_scale")), "--aux-weight",
                Double.toString(config.getDouble("aux_weight")), "--balance-weight",
                Double.toString(config.getDouble("balance_weight"))));
    }

    private Optional<Double> pytorch(Path script, String arch, int width, List<String> arguments) {
        try {
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--arch", arch,
                    "--width", Integer.toString(width), "--hidden", Integer.toString(4 * width), "--steps",
                    Integer.toString(steps), "--warmup", Integer.toString(warmup), "--threads", Integer.toString(torchThreads)));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
            // torch.set_num_threads does not reach Debian's pthread OpenBLAS, which otherwise starts one GEMM thread
            // per core: without these the PyTorch side computes on two cores while Recursa uses one.
            builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(torchThreads));
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(torchThreads));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                spec.commandLine().getErr().println("warning: the PyTorch benchmark failed: "
                        + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                return Optional.empty();
            }
            JsonNode line = new ObjectMapper().readTree(process.getInputStream().readAllBytes());
            return Optional.of(line.get("tokens_per_s").asDouble());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** bench/torch_train.py of the distribution, if python3 here can import torch. */
    private static Optional<Path> torchScript() {
        String dist = System.getProperty(HostSession.DISTRIBUTION_PROPERTY);
        Path script = dist == null ? Path.of("bench", "torch_train.py") : Path.of(dist, "bench", "torch_train.py");
        if (!Files.isRegularFile(script)) {
            return Optional.empty();
        }
        try {
            Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0 ? Optional.of(script) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
