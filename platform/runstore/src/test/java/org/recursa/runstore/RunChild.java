package org.recursa.runstore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The other process of the multi-process tests, a real JVM the test starts and kills. Commands:
 * <ul>
 *   <li>{@code own <runs> <label>}: creates a run, prints {@code id <id>}, and blocks until killed; like
 *   {@code recursa run}, a shutdown hook (SIGTERM) records the run as interrupted;</li>
 *   <li>{@code create <runs> <label> <n> <go-file>}: prints {@code ready}, waits for the go file, then creates
 *   {@code n} runs one after another, ending each (create + ended in the journal), and prints {@code done};</li>
 *   <li>{@code state <runs> <id>}: prints how the run stands, as this process sees it;</li>
 *   <li>{@code delete <runs> <id>}: deletes the run without force and prints {@code deleted}, or the error.</li>
 * </ul>
 */
public final class RunChild {

    private RunChild() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        RunStore store = RunStore.at(Path.of(args[1]));
        switch (args[0]) {
            case "own" -> own(store, args[2]);
            case "create" -> create(store, args[2], Integer.parseInt(args[3]), Path.of(args[4]));
            case "state" -> System.out.println("state " + store.open(args[2]).state().status().id());
            case "delete" -> {
                try {
                    store.delete(args[2], false, Duration.ZERO);
                    System.out.println("deleted");
                } catch (RunStoreException e) {
                    System.out.println("refused " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        System.out.flush();
    }

    private static void own(RunStore store, String label) throws InterruptedException {
        RunWriter writer = store.create(Runs.config("universal"), label);
        writer.progress(Runs.step(1, 0.9, 1000));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            writer.finish(RunStatus.INTERRUPTED, 1, false, 0.1, Map.of());
            writer.close();
        }));
        System.out.println("id " + writer.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void create(RunStore store, String label, int n, Path go) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.sleep(2);
        }
        for (int i = 0; i < n; i++) {
            try (RunWriter writer = store.create(Runs.config("vanilla"), label)) {
                writer.finish(RunStatus.FINISHED, 0, false, 0.0, Map.of());
            }
        }
        System.out.println("done");
    }
}
