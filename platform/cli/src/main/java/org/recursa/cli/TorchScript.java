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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of a bench command: a script in the distribution's {@code bench/} directory (e.g.
 * {@code torch_train.py}), run by {@code /usr/bin/python3} on a fixed number of threads, that prints one JSON line.
 */
final class TorchScript {

    private final Path script;

    private TorchScript(Path script) {
        this.script = script;
    }

    /** {@code bench/NAME} of the distribution, if it is there and python3 here can import torch. */
    static Optional<TorchScript> find(String name) {
        String dist = System.getProperty(HostSession.DISTRIBUTION_PROPERTY);
        Path script = dist == null ? Path.of("bench", name) : Path.of(dist, "bench", name);
        if (!Files.isRegularFile(script)) {
            return Optional.empty();
        }
        try {
            Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0 ? Optional.of(new TorchScript(script))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The script's arguments for a mirror an architecture declared
     * ({@link org.recursa.engine.train.TrainableArchitecture#pytorchMirror}): each setting {@code some_key} as
     * {@code --some-key value}.
     */
    static List<String> mirrorArguments(Map<String, Object> mirror) {
        List<String> arguments = new ArrayList<>();
        new TreeMap<>(mirror).forEach((key, value) -> {
            arguments.add("--" + key.replace('_', '-'));
            arguments.add(String.valueOf(value));
        });
        return arguments;
    }

    /**
     * Runs the script with {@code --threads threads} and {@code arguments}, and reads its JSON line; on failure,
     * warns on {@code err} with what the script wrote there.
     */
    Optional<JsonNode> run(List<String> arguments, int threads, PrintWriter err) {
        try {
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--threads",
                    Integer.toString(threads)));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
            // torch.set_num_threads does not reach Debian's pthread OpenBLAS, which otherwise starts one GEMM thread
            // per core: without these the PyTorch side computes on two cores while Recursa uses one.
            builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                err.println("warning: the PyTorch benchmark did not finish in 30 minutes: " + script);
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                err.println("warning: the PyTorch benchmark failed: "
                        + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                return Optional.empty();
            }
            return Optional.of(new ObjectMapper().readTree(process.getInputStream().readAllBytes()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
