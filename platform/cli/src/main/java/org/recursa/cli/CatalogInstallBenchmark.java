package org.recursa.cli;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.recursa.api.plugin.PluginModule;
import org.recursa.catalog.CatalogServer;
import org.recursa.cli.benchchain.a.ChainModule;
import org.recursa.cli.benchchain.a.ChainTask;
import org.recursa.cli.benchchain.b.ChainAlphabet;
import org.recursa.cli.benchchain.c.ChainDigits;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryBuilder;
import org.recursa.runtime.RecursaException;

/**
 * Install time of a plugin with a three-deep dependency chain from a catalog server on the loopback address, through
 * the command line. Three bundles are made with bnd: C exports a package, B imports it and exports another, A imports
 * B's and is a plugin offering the task {@value ChainTask#ID}. The repository is built and signed by the repository
 * module and served by the real catalog server. Each repeat configures a fresh home ({@code catalog add} with the
 * public key, the distribution's first-party catalog removed so only the local server counts) and times
 * {@code recursa --home H plugin install bench-chain}, run in this JVM through {@link Main#run}.
 */
final class CatalogInstallBenchmark {

    static final String REPOSITORY = "bench-chain";

    private CatalogInstallBenchmark() {
    }

    /** The timed figures, in ms. */
    record Result(List<Double> runs, double median, double min) {
    }

    static Result run(Path dir, int repeats, PrintWriter out) throws IOException {
        Path bundles = Files.createDirectories(dir.resolve("install-bundles"));
        deleteContents(bundles);
        Path c = bundle(bundles, "bench.chain.c", "Exports the chain's bottom package.",
                Map.of("Export-Package", ChainDigits.class.getPackageName() + ";version=1.0.0"), List.of());
        Path b = bundle(bundles, "bench.chain.b", "Imports C's package and exports its own.",
                Map.of("Export-Package", ChainAlphabet.class.getPackageName() + ";version=1.0.0"), List.of(c));
        bundle(bundles, "bench.chain.a", "A plugin at the top of a three-deep chain. It imports B's package.",
                Map.of("Private-Package", ChainModule.class.getPackageName(), "Recursa-Module",
                        ChainModule.class.getName(), "Recursa-Keywords", "benchmark, chain"), List.of(b, c));
        Path repo = dir.resolve("install-repository");
        deleteContents(repo);
        KeyPair keys = Ed25519Keys.generate();
        Path keyBase = dir.resolve("install-keys/bench");
        Files.createDirectories(keyBase.getParent());
        Files.deleteIfExists(Ed25519Keys.publicFile(keyBase));
        Files.deleteIfExists(Ed25519Keys.privateFile(keyBase));
        Ed25519Keys.write(keys, keyBase);
        new RepositoryBuilder(REPOSITORY).build(bundles, Map.of("bench.chain.a", List.of(new Catalog.Extension("task",
                ChainTask.ID, "reverse a string of digits (benchmark dependency chain)"))), repo);
        new CatalogSigner(keys).sign(repo, Duration.ofDays(7), Instant.now());
        out.printf(Locale.ROOT, "install: bundles A -> B -> C made with bnd, repository %s built and signed%n", repo);
        out.flush();
        try (CatalogServer server = CatalogServer.start(List.of(repo), "127.0.0.1", 0)) {
            String url = server.uri().resolve("/repo/" + REPOSITORY + "/").toString();
            out.printf(Locale.ROOT, "  served at %s; each run: a fresh home, then recursa --home H plugin install "
                    + "%s (in this JVM)%n", url, ChainTask.ID);
            List<Double> runs = new ArrayList<>();
            List<String> lastLines = List.of();
            for (int i = 1; i <= repeats; i++) {
                Path home = dir.resolve("install-home-" + i);
                deleteContents(home);
                cli(home, "plugin", "list");
                cli(home, "catalog", "add", url, "--key", Ed25519Keys.publicFile(keyBase).toString(), "--name",
                        "bench");
                if (cliExit(home, "catalog", "list").contains("first-party")) {
                    cli(home, "catalog", "remove", "first-party");
                }
                TimedLines lines = new TimedLines();
                long start = System.nanoTime();
                int code = Main.run(new String[] {"--home", home.toString(), "plugin", "install", ChainTask.ID},
                        new PrintWriter(lines, true), new PrintWriter(new StringWriter(), true));
                double millis = (System.nanoTime() - start) / 1e6;
                if (code != 0 || !lines.text().contains("bench.chain.a")) {
                    throw new RecursaException("plugin install " + ChainTask.ID + " failed (exit " + code + "): "
                            + lines.text().strip().replace('\n', ' '));
                }
                runs.add(millis);
                lastLines = lines.lines(start);
                out.printf(Locale.ROOT, "  run %d: %.0f ms%s%n", i, millis, i == 1 ? " (first in this JVM)" : "");
                out.flush();
            }
            double[] sorted = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            out.printf(Locale.ROOT, "  install of A with B and C: median %.0f ms, min %.0f ms over %d runs%n", median,
                    sorted[0], runs.size());
            out.println("  the last run's output, each line with the time it appeared (ms from the start):");
            lastLines.forEach(line -> out.println("    " + line));
            out.flush();
            return new Result(List.copyOf(runs), median, sorted[0]);
        }
    }

    /** A bundle made by bnd from this jar's classes (and the API's, for import versions) plus {@code headers}. */
    private static Path bundle(Path dir, String bsn, String description, Map<String, String> headers,
            List<Path> before) throws IOException {
        Path target = dir.resolve(bsn + "-1.0.0.jar");
        try (Builder builder = new Builder()) {
            for (Path jar : before) {
                builder.addClasspath(jar.toFile());
            }
            builder.addClasspath(location(ChainDigits.class));
            builder.addClasspath(location(PluginModule.class));
            builder.setProperty("Bundle-SymbolicName", bsn);
            builder.setProperty("Bundle-Version", "1.0.0");
            builder.setProperty("Bundle-Name", "Benchmark chain " + bsn.substring(bsn.length() - 1).toUpperCase(
                    Locale.ROOT));
            builder.setProperty("Bundle-Description", description);
            builder.setProperty("Bundle-License", "Apache-2.0");
            headers.forEach(builder::setProperty);
            Jar jar = builder.build();
            if (!builder.isOk()) {
                throw new RecursaException("bnd could not make " + bsn + ": " + String.join("; ",
                        builder.getErrors()));
            }
            jar.write(target.toFile());
        } catch (IOException | RecursaException e) {
            throw e;
        } catch (Exception e) {
            throw new RecursaException("bnd could not make " + bsn + ": " + e.getMessage(), e);
        }
        return target;
    }

    private static File location(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new RecursaException("cannot locate the classes of " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static void cli(Path home, String... args) {
        cliExit(home, args);
    }

    /** Runs the command line on {@code home}; returns its output, or throws with its error line. */
    private static String cliExit(Path home, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = Stream.concat(Stream.of("--home", home.toString()), Arrays.stream(args))
                .toArray(String[]::new);
        int code = Main.run(all, new PrintWriter(o, true), new PrintWriter(e, true));
        if (code != 0) {
            throw new RecursaException("recursa " + String.join(" ", args) + " failed (exit " + code + "): "
                    + e.toString().strip().replace('\n', ' '));
        }
        return o.toString();
    }

    private static void deleteContents(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    if (!path.equals(dir)) {
                        Files.delete(path);
                    }
                }
            }
        }
        Files.createDirectories(dir);
    }

    /** The command's output with the time each line was completed. */
    private static final class TimedLines extends Writer {

        private final StringBuilder text = new StringBuilder();
        private final StringBuilder line = new StringBuilder();
        private final List<String> lines = new ArrayList<>();
        private final List<Long> times = new ArrayList<>();

        @Override
        public synchronized void write(char[] chars, int off, int len) {
            for (int i = off; i < off + len; i++) {
                text.append(chars[i]);
                if (chars[i] == '\n') {
                    lines.add(line.toString());
                    times.add(System.nanoTime());
                    line.setLength(0);
                } else {
                    line.append(chars[i]);
                }
            }
        }

        synchronized String text() {
            return text.toString();
        }

        synchronized List<String> lines(long start) {
            List<String> timed = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                timed.add(String.format(Locale.ROOT, "%6.0f  %s", (times.get(i) - start) / 1e6, lines.get(i)));
            }
            return timed;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
