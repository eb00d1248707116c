package org.recursa.spark;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.recursa.runstore.Component;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStatus;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;

/**
 * A stand-in for {@code recursa} in the child process a {@link PointTask} starts: understands
 * {@code --home H run --task T --arch A ... --seed S --set K=V ... --tag K=V ...} and, instead of training, records a
 * finished run with those tags in H's run store at once. The setting {@code fail=always} makes it print an error
 * line and exit 1 instead.
 */
public final class FakeRecursa {

    private FakeRecursa() {
    }

    public static void main(String[] args) {
        Path home = Path.of(args[1]);
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        String arch = "";
        long seed = 0;
        for (int i = 3; i < args.length - 1; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--arch" -> arch = value;
                case "--seed" -> seed = Long.parseLong(value);
                case "--set" -> settings.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=')
                        + 1));
                case "--tag" -> tags.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=')
                        + 1));
                default -> { }
            }
        }
        if ("always".equals(settings.get("fail"))) {
            System.out.println("recursa: training failed: a test said so");
            System.exit(1);
        }
        RunConfig config = new RunConfig(0, null, Instant.now().toString(), null, seed, "io", tags, null,
                new Component("copy", "recursa-task-copy", "0.1.0", Map.of()),
                new Component(arch, "recursa-arch-" + arch, "0.1.0", Map.copyOf(settings)),
                new Component("greedy", "recursa-sampler-greedy", "0.1.0", Map.of()),
                Map.of("steps", 5), Map.of("parameters", 1000), Map.of("cores", 2));
        try (RunWriter writer = RunStore.at(home.resolve("runs")).create(config, "copy-" + arch)) {
            writer.finish(RunStatus.FINISHED, 5, false, 0.5, Map.of("test-id",
                    new FinalRecord.SplitResult(8, 0.5, 0.25, null, Map.of())));
            System.out.println("run " + writer.id() + " finished");
        }
        System.exit(0);
    }
}
