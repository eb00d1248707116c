package org.recursa.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a run directory (docs/runs.md) into a {@link RunSummary}. Metrics are derived from {@code final.json}:
 * {@code seq_acc_<split>} and {@code token_acc_<split>} per split (dashes become underscores), their means over
 * the out-of-distribution splits ({@code seq_acc_ood}, {@code token_acc_ood}; a split is OOD when its name starts
 * with {@code test-ood}), {@code trace_valid_<split>} in trace mode; and {@code steps}, {@code seconds},
 * {@code final_loss}, {@code tokens_per_s}, {@code parameters}, {@code flops_per_token}.
 */
public final class RunReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReader() {
    }

    /**
     * Reads one run.
     *
     * @throws DamagedRunException when a file is missing or not valid JSON
     */
    public static RunSummary read(Path dir) {
        String id = dir.getFileName().toString();
        String status = readText(dir, "status").trim();
        JsonNode config = readJson(dir, "config.json");
        JsonNode end = Files.exists(dir.resolve("final.json")) ? readJson(dir, "final.json") : null;
        if (end == null && !status.equals("running")) {
            throw new DamagedRunException(dir, "final.json is missing but the status is '" + status + "'", null);
        }
        Map<String, String> params = params(config);
        Map<String, Double> metrics = metrics(dir, config, end);
        Map<String, String> tags = new TreeMap<>();
        config.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        if (config.hasNonNull("note")) {
            tags.put("note", config.get("note").asText());
        }
        long start = time(dir, config.path("started_at").asText(null), "config.json started_at");
        long finish = end == null ? -1 : time(dir, end.path("finished_at").asText(null), "final.json finished_at");
        return new RunSummary(id, dir, status, config.path("task").path("id").asText(""),
                config.path("architecture").path("id").asText(""), start, finish, new TreeMap<>(params),
                new TreeMap<>(metrics), new TreeMap<>(tags), fingerprint(dir));
    }

    /**
     * Changes whenever the run's status or any of its files changes size or modification time; cheap enough to
     * compute for every run on every start.
     */
    public static String fingerprint(Path dir) {
        StringBuilder fingerprint = new StringBuilder();
        try {
            fingerprint.append(Files.exists(dir.resolve("status")) ? Files.readString(dir.resolve("status")).trim() : "?");
            for (String name : List.of("config.json", "final.json", "metrics.jsonl")) {
                stamp(dir.resolve(name), fingerprint);
            }
            Path artifacts = dir.resolve("artifacts");
            if (Files.isDirectory(artifacts)) {
                try (Stream<Path> files = Files.list(artifacts)) {
                    for (Path file : files.sorted().toList()) {
                        fingerprint.append('|').append(file.getFileName());
                        stamp(file, fingerprint);
                    }
                }
            }
        } catch (IOException e) {
            throw new DamagedRunException(dir, "cannot read the run directory (" + e.getMessage() + ")", e);
        }
        return fingerprint.toString();
    }

    private static void stamp(Path file, StringBuilder out) throws IOException {
        if (Files.exists(file)) {
            out.append('|').append(Files.size(file)).append('@').append(Files.getLastModifiedTime(file).toMillis());
        } else {
            out.append("|-");
        }
    }

    /** The proof-artifact files of a run, split name to path, in name order. */
    public static Map<String, Path> artifacts(Path dir) {
        Map<String, Path> files = new TreeMap<>();
        Path artifacts = dir.resolve("artifacts");
        if (!Files.isDirectory(artifacts)) {
            return files;
        }
        try (Stream<Path> list = Files.list(artifacts)) {
            list.filter(p -> p.getFileName().toString().endsWith(".jsonl")).forEach(p -> {
                String name = p.getFileName().toString();
                files.put(name.substring(0, name.length() - ".jsonl".length()), p);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Map<String, String> params(JsonNode config) {
        Map<String, String> params = new TreeMap<>();
        params.put("task", config.path("task").path("id").asText(""));
        params.put("arch", config.path("architecture").path("id").asText(""));
        params.put("sampler", config.path("sampler").path("id").asText(""));
        params.put("mode", config.path("mode").asText("io"));
        params.put("seed", config.path("seed").asText(""));
        flatten("task", config.path("task").path("settings"), params);
        flatten("arch", config.path("architecture").path("settings"), params);
        flatten("sampler", config.path("sampler").path("settings"), params);
        flatten("train", config.path("train"), params);
        params.put("task_version", config.path("task").path("version").asText(""));
        params.put("arch_version", config.path("architecture").path("version").asText(""));
        return params;
    }

    private static void flatten(String prefix, JsonNode settings, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = settings.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            out.put(prefix + "." + field.getKey(), field.getValue().asText());
        }
    }

    private static Map<String, Double> metrics(Path dir, JsonNode config, JsonNode end) {
        Map<String, Double> metrics = new TreeMap<>();
        JsonNode model = config.path("model");
        if (model.has("parameters")) {
            metrics.put("parameters", model.get("parameters").asDouble());
            metrics.put("flops_per_token", model.path("flops_per_token").asDouble());
        }
        lastStep(dir, metrics);
        if (end == null) {
            return metrics;
        }
        metrics.put("steps", end.path("steps").asDouble());
        metrics.put("seconds", end.path("seconds").asDouble());
        List<Double> oodSeq = new ArrayList<>();
        List<Double> oodToken = new ArrayList<>();
        end.path("splits").fields().forEachRemaining(split -> {
            String key = split.getKey().replace('-', '_').toLowerCase(Locale.ROOT);
            double seq = split.getValue().path("seq_acc").asDouble();
            double token = split.getValue().path("token_acc").asDouble();
            metrics.put("seq_acc_" + key, seq);
            metrics.put("token_acc_" + key, token);
            if (split.getValue().has("trace_valid")) {
                metrics.put("trace_valid_" + key, split.getValue().get("trace_valid").asDouble());
            }
            if (split.getKey().startsWith("test-ood")) {
                oodSeq.add(seq);
                oodToken.add(token);
            }
        });
        if (!oodSeq.isEmpty()) {
            metrics.put("seq_acc_ood", oodSeq.stream().mapToDouble(Double::doubleValue).average().orElse(0));
            metrics.put("token_acc_ood", oodToken.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        }
        return metrics;
    }

    /** final_loss and mean tokens_per_s from metrics.jsonl; a torn last line (a crash mid-write) is ignored. */
    private static void lastStep(Path dir, Map<String, Double> metrics) {
        Path file = dir.resolve("metrics.jsonl");
        if (!Files.exists(file)) {
            return;
        }
        double loss = Double.NaN;
        double speed = 0;
        int steps = 0;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.contains("\"type\":\"step\"")) {
                    continue;
                }
                JsonNode step;
                try {
                    step = JSON.readTree(line);
                } catch (IOException torn) {
                    continue;
                }
                loss = step.path("loss").asDouble();
                speed += step.path("tokens_per_s").asDouble();
                steps++;
            }
        } catch (IOException | UncheckedIOException e) {
            throw new DamagedRunException(dir, "metrics.jsonl cannot be read (" + e.getMessage() + ")", e);
        }
        if (steps > 0) {
            metrics.put("final_loss", loss);
            metrics.put("tokens_per_s", speed / steps);
        }
    }

    private static long time(Path dir, String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new DamagedRunException(dir, what + " is missing", null);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            throw new DamagedRunException(dir, what + " is not an ISO-8601 instant: '" + text + "'", e);
        }
    }

    private static String readText(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DamagedRunException(dir, name + " is missing", e);
        } catch (IOException e) {
            throw new DamagedRunException(dir, name + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static JsonNode readJson(Path dir, String name) {
        String text = readText(dir, name);
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new DamagedRunException(dir, name + " is empty or not a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw new DamagedRunException(dir, name + " is truncated or not JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")", e);
        }
    }
}
