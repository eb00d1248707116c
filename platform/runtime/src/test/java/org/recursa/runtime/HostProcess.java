package org.recursa.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A host in a child JVM, for tests of what several processes (or a read-only file system) do to one home.
 * Usage: {@code list HOME DISTRIBUTION} or {@code install HOME DISTRIBUTION JAR [READY GO]}; {@code -} for no
 * distribution. With READY and GO, install creates READY once its host has started and waits for GO, so that
 * every child has loaded the journal before any of them installs. Prints one line per plugin or the installed
 * bundle; on a {@link RecursaException} prints {@code error: MESSAGE} on stderr and exits 1.
 */
public final class HostProcess {

    private HostProcess() {
    }

    /** Builds the command line that runs this class in a new JVM with the test class path. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), HostProcess.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    public static void main(String[] args) throws Exception {
        RecursaHome home = new RecursaHome(Path.of(args[1]));
        Optional<Path> distribution = args[2].equals("-") ? Optional.empty() : Optional.of(Path.of(args[2]));
        try (RecursaHost host = RecursaHost.start(home, distribution)) {
            switch (args[0]) {
                case "list" -> host.plugins().list().forEach(p -> System.out.println(p.symbolicName() + " "
                        + p.version() + " " + p.state() + p.problem().map(problem -> " " + problem).orElse("")));
                case "install" -> {
                    if (args.length > 4) {
                        Files.createFile(Path.of(args[4]));
                        awaitFile(Path.of(args[5]));
                    }
                    PluginView plugin = host.plugins().install(Path.of(args[3]));
                    System.out.println("installed " + plugin.symbolicName() + " " + plugin.version());
                }
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        } catch (RecursaException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private static void awaitFile(Path go) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no " + go + " within 60 s");
            }
            Thread.sleep(10);
        }
    }
}
