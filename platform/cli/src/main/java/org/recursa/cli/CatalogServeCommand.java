package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.recursa.catalog.CatalogException;
import org.recursa.catalog.CatalogServer;
import org.recursa.catalog.PublishSettings;
import org.recursa.repository.Ed25519Keys;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recursa catalog serve}: the catalog server on the given repositories until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve catalog repositories over HTTP: their files under /repo/<name>/, search at "
                + "/api/search, plugins at /api/plugins/{id} and the web page at /. Runs until Ctrl-C."})
final class CatalogServeCommand implements Callable<Integer> {

    /** Where a distribution keeps the first-party repository that --dir defaults to. */
    static final String FIRST_PARTY = "catalog/first-party";

    @Option(names = "--port", paramLabel = "P", defaultValue = "8417",
            description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    private String host;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "A repository directory (with catalog.json); repeat for several. Default: the "
                    + "distribution's " + FIRST_PARTY + ".")
    private List<Path> dirs = new ArrayList<>();

    @Option(names = "--publish-token-file", paramLabel = "F",
            description = "Accept bundles at POST /api/publish/<name> from callers sending the token in F's first "
                    + "line (Authorization: Bearer <token>). Needs --signing-key.")
    private Path tokenFile;

    @Option(names = "--signing-key", paramLabel = "K",
            description = "The private key file K.key (K.pub beside it) that re-signs a repository after a publish.")
    private Path signingKey;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port " + port + " is not a TCP port; expected 0 to 65535");
        }
        List<Path> served = dirs.isEmpty() ? List.of(firstParty()) : dirs;
        for (Path dir : served) {
            if (!Files.isRegularFile(dir.resolve("catalog.json"))) {
                throw new UsageException(dir + " is not a catalog repository (it has no catalog.json); give "
                        + "--dir a directory that `recursa catalog sign` has signed");
            }
        }
        PublishSettings publishing = publishing();
        CatalogServer server;
        try {
            server = CatalogServer.start(served, host, port, publishing);
        } catch (CatalogException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        Thread stop = new Thread(server::close, "recursa-catalog-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving " + String.join(", ", server.repositoryNames()) + " at " + server.uri()
                + " (Ctrl-C stops)");
        if (publishing != null) {
            out.println("Publishing enabled at " + server.uri() + "api/publish/<name>");
        }
        out.flush();
        server.join();
        return 0;
    }

    /** Null unless both publish options are given; one without the other is a usage error. */
    private PublishSettings publishing() {
        if (tokenFile == null && signingKey == null) {
            return null;
        }
        if (tokenFile == null || signingKey == null) {
            throw new UsageException("publishing needs both --publish-token-file F and --signing-key K");
        }
        if (!Files.isRegularFile(tokenFile)) {
            throw new UsageException(tokenFile + ": no such token file; --publish-token-file names a file whose "
                    + "first line is the token");
        }
        Path key = signingKey.getFileName().toString().endsWith(".key") ? signingKey
                : Ed25519Keys.privateFile(signingKey);
        if (!Files.isRegularFile(key)) {
            throw new UsageException(key + ": no such key file; make one with 'recursa catalog keygen --out K'");
        }
        try {
            return PublishSettings.read(tokenFile, key, PublishSettings.DEFAULT_MAX_UPLOAD,
                    PublishSettings.DEFAULT_VALIDITY);
        } catch (CatalogException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Path firstParty() {
        Optional<Path> candidate = Optional.ofNullable(System.getProperty(HostSession.DISTRIBUTION_PROPERTY))
                .map(distribution -> Path.of(distribution, FIRST_PARTY)).filter(Files::isDirectory);
        return candidate.orElseThrow(() -> new UsageException("no repository to serve: this "
                + (System.getProperty(HostSession.DISTRIBUTION_PROPERTY) == null ? "recursa runs outside a "
                + "distribution" : "distribution has no " + FIRST_PARTY) + "; give --dir DIR"));
    }
}
