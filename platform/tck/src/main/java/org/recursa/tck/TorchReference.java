package org.recursa.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.api.Config;
import org.recursa.engine.Parameter;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/**
 * Compares a model with a PyTorch implementation of the same architecture: the same weights and batch go to a
 * Python script (see {@code bench/torch_reference.py}), which returns its logits, task loss, auxiliary losses and
 * parameter gradients computed in float64; every value must match Recursa's to {@link #TOLERANCE}. Both sides run
 * a training pass (the request says {@code "training": true}) and differentiate the task loss (over every output
 * the pass supervises, {@link Forward#supervised()}) plus the model's auxiliary losses
 * ({@link Forward#auxLosses()}), as the trainer does, so routers and halting units are compared in the mode that
 * trains them.
 *
 * <p>PyTorch is optional on a developer's machine: call {@link #unavailable()} first and skip the test with its
 * message when it says why PyTorch cannot run (CI installs it, so there the comparison always runs).
 */
public final class TorchReference {

    /** Largest allowed difference, relative to the magnitude of the value. */
    public static final double TOLERANCE = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = "import torch";

    private TorchReference() {
    }

    /** The Python interpreter: {@code RECURSA_PYTHON}, else Debian's {@code /usr/bin/python3}, else {@code python3}. */
    public static String python() {
        String configured = System.getenv("RECURSA_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /**
     * Finds a reference script by walking up from the working directory, so that a module's tests find the
     * repository's {@code bench/torch_reference.py} whether Maven runs from the module or from the root.
     *
     * @param relative e.g. {@code bench/torch_reference.py}
     */
    public static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve(relative);
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException(relative + " not found in " + Path.of("").toAbsolutePath()
                + " or any directory above it");
    }

    /** Why the comparison cannot run here, or empty when {@code python3 -c 'import torch'} works. */
    public static Optional<String> unavailable() {
        try {
            Process process = new ProcessBuilder(python(), "-c", PROBE).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("'" + python() + " -c \"" + PROBE + "\"' did not finish in 120 s");
            }
            return process.exitValue() == 0 ? Optional.empty() : Optional.of("PyTorch is not installed for "
                    + python() + " (" + lastLine(output) + "); install it with 'apt-get install -y python3-torch "
                    + "libopenblas0-pthread' or point RECURSA_PYTHON at a Python that has it");
        } catch (IOException e) {
            return Optional.of("cannot start " + python() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing for PyTorch");
        }
    }

    /**
     * What a comparison found.
     *
     * @param torch         the PyTorch version that was compared with
     * @param largest       the largest difference, relative as {@link #TOLERANCE} is, over every compared value
     * @param where         which value it was, e.g. {@code gradient of head.weight, element 3}
     * @param auxLosses     the names of the auxiliary losses that were compared
     */
    public record Agreement(String torch, double largest, String where, List<String> auxLosses) {
    }

    /**
     * Runs the batch through {@code model} (which must have been built in double precision, see {@link Precision})
     * in a training pass and through {@code script}, and asserts that logits, task loss, each auxiliary loss and
     * every parameter gradient (of the task loss plus the auxiliary losses) agree.
     *
     * @param architecture the architecture, whose {@link TrainableArchitecture#pytorchMirror} for {@code config}
     *                     tells the script which model to build; a comparison that passes verifies that declaration
     * @param config   the settings {@code model} was built with
     * @param model    the model under test, built with {@link Precision#use}({@code DOUBLE})
     * @param rows     token rows of different lengths (padding exercises the key mask)
     * @param script   the reference script
     * @param scratch  a directory for the exchanged files
     * @return the PyTorch version and the largest difference found
     * @throws AssertionError naming the first value that differs
     */
    public static Agreement assertMatches(TrainableArchitecture architecture, Config config, TrainableModel model,
                                          int[][] rows, Path script, Path scratch)
            throws IOException, InterruptedException {
        Map<String, Object> mirror = architecture.pytorchMirror(config).orElseThrow(() -> new AssertionError(
                architecture.id() + " declares no PyTorch mirror for " + config + " (TrainableArchitecture.pytorchMirror)"));
        return assertMatches(model, mirror, rows, script, scratch);
    }

    private static Agreement assertMatches(TrainableModel model, Map<String, Object> shape, int[][] rows, Path script,
                                           Path scratch) throws IOException, InterruptedException {
        if (Precision.dataType() != DataType.DOUBLE) {
            throw new IllegalStateException("build the model after Precision.use(DataType.DOUBLE)");
        }
        TokenBatch batch = TokenBatch.of(rows, 0);
        int[] targets = nextTokenTargets(batch);
        Tape tape = Tape.training();
        model.parameters().zeroGrad();
        Forward forward = model.forward(tape, batch);
        Var loss = ArchitectureConformance.taskLoss(tape, forward, targets);
        Var total = loss;
        for (Forward.NamedLoss aux : forward.auxLosses()) {
            total = Elementwise.add(tape, total, aux.value());
        }
        tape.backward(total);

        Path input = scratch.resolve("torch-input.json");
        Path output = scratch.resolve("torch-output.json");
        JSON.writeValue(input.toFile(), request(model, shape, batch, targets));
        run(script, input, output);
        JsonNode reference = JSON.readTree(output.toFile());

        Worst worst = new Worst();
        assertClose("logits", forward.logits().value(), reference.get("logits"), worst);
        assertClose("loss", loss.value(), JSON.createArrayNode().add(reference.get("loss").doubleValue()), worst);
        JsonNode theirAux = reference.has("aux") ? reference.get("aux") : JSON.createObjectNode();
        List<String> ourAux = new ArrayList<>();
        for (Forward.NamedLoss aux : forward.auxLosses()) {
            ourAux.add(aux.name());
            JsonNode value = theirAux.get(aux.name());
            if (value == null) {
                throw new AssertionError("the reference reports no auxiliary loss '" + aux.name() + "' (it has "
                        + theirAux + ")");
            }
            assertClose("auxiliary loss " + aux.name(), aux.value().value(), JSON.createArrayNode()
                    .add(value.doubleValue()), worst);
        }
        if (theirAux.size() != ourAux.size()) {
            throw new AssertionError("auxiliary losses differ: " + ourAux + " here, " + theirAux + " in PyTorch");
        }
        for (Parameter parameter : model.parameters().all()) {
            JsonNode grad = reference.get("grads").get(parameter.name());
            if (grad == null) {
                throw new AssertionError("the reference returned no gradient for " + parameter.name());
            }
            assertClose("gradient of " + parameter.name(), parameter.grad(), grad, worst);
        }
        return new Agreement(reference.get("torch").asText(), worst.relative, worst.where, List.copyOf(ourAux));
    }

    /** The largest relative difference seen so far. */
    private static final class Worst {
        private double relative;
        private String where = "nothing";
    }

    private static Map<String, Object> request(TrainableModel model, Map<String, Object> shape, TokenBatch batch,
                                               int[] targets) {
        Map<String, Object> request = new LinkedHashMap<>(shape);
        request.put("vocab", model.info().vocabularySize());
        request.put("max_length", model.info().maxLength());
        request.put("training", true);
        int[][] ids = new int[batch.batch()][batch.length()];
        int[][] keep = new int[batch.batch()][batch.length()];
        for (int b = 0; b < batch.batch(); b++) {
            for (int t = 0; t < batch.length(); t++) {
                ids[b][t] = batch.ids()[b * batch.length() + t];
                keep[b][t] = t < batch.lengths()[b] ? 1 : 0;
            }
        }
        request.put("ids", ids);
        request.put("keep", keep);
        request.put("targets", targets);
        Map<String, Object> weights = new LinkedHashMap<>();
        for (Parameter parameter : model.parameters().all()) {
            weights.put(parameter.name(), Map.of("shape", parameter.shape(),
                    "data", parameter.value().dup().data().asDouble()));
        }
        request.put("weights", weights);
        return request;
    }

    private static void run(Path script, Path input, Path output) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(python(), script.toString(), input.toString(), output.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(script.getFileName() + " failed:\n" + log);
        }
    }

    /** Each real token predicts the next one; the last real token and padding predict nothing. */
    private static int[] nextTokenTargets(TokenBatch batch) {
        int[] targets = new int[batch.ids().length];
        for (int b = 0; b < batch.batch(); b++) {
            for (int t = 0; t < batch.length(); t++) {
                int i = b * batch.length() + t;
                targets[i] = t + 1 < batch.lengths()[b] ? batch.ids()[i + 1] : CrossEntropy.IGNORE;
            }
        }
        return targets;
    }

    /**
     * Replaces every weight with draws from N(0, std^2): freshly initialised models have near-uniform outputs and
     * tiny gradients, which would let real differences hide under the tolerance.
     */
    public static void randomizeWeights(TrainableModel model, long seed, double std) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (Parameter parameter : model.parameters().all()) {
            INDArray value = parameter.value();
            for (long i = 0; i < value.length(); i++) {
                double u = 1 - random.nextDouble();
                value.putScalar(i, Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()) * std);
            }
        }
    }

    /**
     * Element-wise comparison, relative to each value's magnitude but never finer than a millionth of the
     * largest value of the tensor: gradients near zero carry only rounding noise on both sides.
     */
    private static void assertClose(String what, INDArray actual, JsonNode expected, Worst worst) {
        double[] values = actual.dup().data().asDouble();
        if (values.length != expected.size()) {
            throw new AssertionError(what + ": " + values.length + " values here, " + expected.size() + " in PyTorch");
        }
        double largest = 0;
        for (JsonNode value : expected) {
            largest = Math.max(largest, Math.abs(value.doubleValue()));
        }
        double floor = Math.max(1e-6 * largest, 1e-12);
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            double reference = expected.get(i).doubleValue();
            double relative = Math.abs(values[i] - reference) / Math.max(floor, Math.abs(reference));
            if (relative > worst.relative) {
                worst.relative = relative;
                worst.where = what + ", element " + i;
            }
            if (!(relative <= TOLERANCE)) {                                    // NaN fails too
                differing.add("element " + i + ": " + values[i] + " vs PyTorch " + reference);
            }
        }
        if (!differing.isEmpty()) {
            throw new AssertionError(what + " differs from PyTorch in " + differing.size() + " of " + values.length
                    + " values, first " + differing.get(0));
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
