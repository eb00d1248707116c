package org.recursa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A distribution directory holding the first-party bundles (what bin/recursa's plugins/ holds), named by
 * {@link HostSession#DISTRIBUTION_PROPERTY} for the hosts of this JVM and, through it, of the child processes a sweep
 * starts; and the command line run in process.
 */
final class TestDistribution {

    private TestDistribution() {
    }

    /** Copies the first-party bundles into {@code dir}/plugins and points the distribution property at it. */
    static void install(Path dir) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty(
                "recursa.test.bundles")), "*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, dir.toString());
    }

    static void uninstall() {
        System.clearProperty(HostSession.DISTRIBUTION_PROPERTY);
    }

    /** What {@code recursa ARGS} printed and returned, run in this JVM. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
