package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogJson;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryBuilder;
import org.recursa.repository.RepositoryLayout;

/**
 * {@code recursa catalog add}, {@code plugin search} and {@code plugin install ID} against a real HTTP server on the
 * loopback address serving a signed repository: the happy path, and every attack of the threat model refused with one
 * line (exit 1) while plugins/ and the jar cache stay as they were.
 */
class CatalogClientTest {

    private static final String BUNDLE = "recursa-arch-mor";

    @TempDir
    Path dir;

    private Path home;
    private KeyPair keys;
    private HttpServer server;
    private final AtomicReference<Path> served = new AtomicReference<>();
    private final AtomicBoolean chunked = new AtomicBoolean();
    private final List<String> requests = new ArrayList<>();
    private String out;
    private String err;

    @BeforeEach
    void signedRepositoryServedOnLoopback() throws IOException {
        home = dir.resolve("home");
        keys = Ed25519Keys.generate();
        Ed25519Keys.write(keys, dir.resolve("test"));
        served.set(repository("repo", keys, Instant.now(), Duration.ofDays(30)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/repo/test/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring("/repo/test/".length());
            synchronized (requests) {
                requests.add(path);
            }
            Path file = served.get().resolve(path).normalize();
            if (!file.startsWith(served.get()) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, chunked.get() ? 0 : bytes.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes);
            }
        });
        server.start();
        // The home starts as a user's would: its store initialised, no plugins.
        assertThat(run("plugin", "list")).as(err).isZero();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo/test/";
    }

    /** A repository holding the real mor bundle, signed with {@code signer} at {@code now}. */
    private Path repository(String name, KeyPair signer, Instant now, Duration validity) throws IOException {
        Path bundles = Files.createDirectories(dir.resolve(name + "-bundles"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty(
                "recursa.test.bundles")), BUNDLE + "-*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, bundles.resolve(jar.getFileName()));
            }
        }
        Path repo = dir.resolve(name);
        new RepositoryBuilder("test-catalog").build(bundles, Map.of(BUNDLE, List.of(new Catalog.Extension(
                "architecture", "mor", "Mixture-of-Recursions: a router picks each token's recursion depth"))), repo);
        new CatalogSigner(signer).sign(repo, validity, now);
        return repo.toRealPath();
    }

    private Path jarIn(Path repo) {
        Catalog catalog = CatalogJson.read(repo);
        return repo.resolve(catalog.plugins().get(0).path());
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = Stream.concat(Stream.of("--home", home.toString()), Stream.of(args)).toArray(String[]::new);
        int code = Main.run(all, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private void addCatalog() {
        assertThat(run("catalog", "add", url(), "--key", dir.resolve("test.pub").toString(), "--name", "test"))
                .as(err).isZero();
        assertThat(out).startsWith("added catalog test: " + url() + " (key id " + Ed25519Keys.keyId(keys.getPublic())
                + "; '").contains("' version ", " bundle(s), signed until ");
    }

    /** Every file under plugins/ and cache/sha256/ with its content hash. */
    private List<String> installation() throws IOException {
        List<String> files = new ArrayList<>();
        for (Path root : List.of(home.resolve("plugins"), home.resolve("cache/sha256"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                    if (!file.getFileName().toString().endsWith(".lock")) {
                        files.add(home.relativize(file) + " " + CliFixtures.sha256(file));
                    }
                }
            }
        }
        return files;
    }

    /**
     * {@code plugin install mor} is refused with one line containing {@code expected}; nothing changes.
     *
     * @return the line
     */
    private String installRefused(String expected) throws IOException {
        List<String> before = installation();
        assertThat(run("plugin", "install", "mor")).as(out + err).isEqualTo(1);
        assertThat(err.lines()).as(err).hasSize(1);
        String refusal = err;
        assertThat(refusal).startsWith("recursa: ").contains(expected);
        assertThat(installation()).isEqualTo(before);
        assertThat(run("extensions")).isZero();
        assertThat(out).doesNotContain("mor");
        return refusal;
    }

    @Test
    void searchesInstallsByIdAndReinstallsOfflineFromTheCache() throws IOException {
        addCatalog();
        assertThat(run("catalog", "list")).isZero();
        assertThat(out).contains("test", Ed25519Keys.keyId(keys.getPublic()), url());

        assertThat(run("plugin", "search", "recursion", "depth", "--kind", "architecture")).as(err).isZero();
        assertThat(out.lines().toList().get(0)).startsWith("ID").contains("KIND", "BUNDLE", "VERSION", "SUMMARY");
        assertThat(out.lines().toList().get(1)).startsWith("mor").contains("architecture", BUNDLE, "0.1.0.SNAPSHOT");
        assertThat(run("plugin", "search", "recursion", "--kind", "sampler")).isZero();
        assertThat(out).isEqualTo("no plugin matches 'recursion'\n");

        assertThat(run("plugin", "install", "mor")).as(err).isZero();
        assertThat(out).contains("plan: install 1 bundle(s), dependencies first:",
                "  " + BUNDLE + " 0.1.0.SNAPSHOT from test", "installed " + BUNDLE + " ");
        assertThat(run("extensions", "--kind", "architecture")).isZero();
        assertThat(out).contains("mor");
        String sha = CatalogJson.read(served.get()).plugins().get(0).sha256();
        assertThat(home.resolve("cache/sha256/" + sha + ".jar")).exists();

        assertThat(run("plugin", "install", "mor")).isEqualTo(2);
        assertThat(err).startsWith("recursa: bundle " + BUNDLE + " is already installed");
        assertThat(run("plugin", "uninstall", "mor")).isZero();
        server.stop(0);
        assertThat(run("plugin", "install", "mor")).isEqualTo(1);
        assertThat(err).startsWith("recursa: catalog 'test' (" + url() + "): GET " + url() + "catalog.json: ");
        assertThat(run("plugin", "install", "mor", "--offline")).as(err).isZero();
        assertThat(run("extensions", "--kind", "architecture")).isZero();
        assertThat(out).contains("mor");
    }

    @Test
    void theDistributionsFirstPartyRepositoryIsTheDefaultCatalog() throws IOException {
        Path distribution = dir.resolve("dist");
        copy(Path.of(System.getProperty("recursa.first.party.repository")),
                distribution.resolve("catalog/first-party"));
        Files.copy(Path.of(System.getProperty("recursa.first.party.key")),
                distribution.resolve("catalog/first-party.pub"));
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, distribution.toString());
        try {
            assertThat(run("catalog", "list")).as(err).isZero();
            assertThat(out).contains("first-party", distribution.resolve("catalog/first-party").toString());
            assertThat(run("plugin", "search", "recursion")).as(err).isZero();
            assertThat(out).contains("recursa-arch-mor", "recursa-tasks-recursion");
            assertThat(run("plugin", "install", "mor")).as(err).isZero();
            assertThat(out).contains("installed recursa-arch-mor 0.1.0.SNAPSHOT: architecture mor");
        } finally {
            TestDistribution.uninstall();
        }
    }

    /** Library bundles {@code org.example.<name>}: each exports its package and imports the next one's. */
    private Path chain(String repoName, String version, String... names) throws IOException {
        Path bundles = Files.createDirectories(dir.resolve(repoName + "-bundles"));
        for (int i = 0; i < names.length; i++) {
            Map<String, String> headers = new java.util.HashMap<>(Map.of("Bundle-SymbolicName", "org.example."
                    + names[i], "Bundle-Version", version, "Bundle-Description", "Layer " + names[i] + ".",
                    "Export-Package", "org.example." + names[i] + ";version=\"1.0.0\""));
            if (i + 1 < names.length) {
                headers.put("Import-Package", "org.example." + names[i + 1] + ";version=\"[1.0,2)\"");
            }
            CliFixtures.fabricate(bundles.resolve(names[i] + "-" + version + ".jar"), headers);
        }
        return bundles;
    }

    private void serveSigned(Path bundles, String name) throws IOException {
        Path repo = dir.resolve(name);
        new RepositoryBuilder(name).build(bundles, Map.of(), repo);
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), Instant.now());
        served.set(repo.toRealPath());
    }

    @Test
    void installsAChainThenUninstallRemovesWhatNothingElseNeedsAndRollbackBringsItBack() throws IOException {
        serveSigned(chain("chain", "1.0.0", "a", "b", "c"), "chain");
        addCatalog();

        assertThat(run("plugin", "install", "org.example.a")).as(out + err).isZero();
        assertThat(out).contains("plan: install 3 bundle(s), dependencies first:\n  org.example.c 1.0.0 from test",
                "\n  org.example.b 1.0.0 from test", "\n  org.example.a 1.0.0 from test (",
                "installed org.example.c 1.0.0", "installed org.example.a 1.0.0");
        assertThat(run("plugin", "uninstall", "org.example.b")).isEqualTo(1);
        assertThat(err).isEqualTo("recursa: bundle org.example.b is used by org.example.a; uninstall it first\n");

        assertThat(run("plugin", "uninstall", "org.example.a")).as(err).isZero();
        assertThat(out).isEqualTo("uninstalled org.example.a 1.0.0 (a library bundle: it offers no extensions)\n"
                + "uninstalled org.example.b 1.0.0 (a library bundle: it offers no extensions) (no longer needed)\n"
                + "uninstalled org.example.c 1.0.0 (a library bundle: it offers no extensions) (no longer needed)\n");
        assertThat(run("plugin", "list")).isZero();
        assertThat(out).doesNotContain("org.example");

        server.stop(0); // the history keeps the jars: no network needed
        assertThat(run("plugin", "rollback")).as(err).isZero();
        assertThat(out).startsWith("rolled back 'uninstall org.example.a 1.0.0'\n")
                .contains("  installed org.example.a 1.0.0", "  installed org.example.c 1.0.0");
        assertThat(run("plugin", "list")).isZero();
        assertThat(out).contains("org.example.a", "org.example.b", "org.example.c");
        assertThat(run("plugin", "history")).isZero();
        assertThat(out).startsWith("1  ").contains("install org.example.a 1.0.0 with 2 bundle(s) it needs");
    }

    @Test
    void updateFromTheCatalogReplacesABundleInOneStepAndRollbackReturnsToTheOldVersion() throws IOException {
        serveSigned(chain("v1", "1.0.0", "a", "b"), "v1");
        addCatalog();
        assertThat(run("plugin", "install", "org.example.a")).as(err).isZero();
        assertThat(run("plugin", "update", "org.example.a")).as(err).isZero();
        assertThat(out).isEqualTo("org.example.a 1.0.0 is the newest version the catalogs offer\n");

        Path bundles = chain("v2", "1.1.0", "a", "b");
        Files.delete(bundles.resolve("b-1.1.0.jar"));
        chain("v2", "1.0.0", "b"); // 1.1.0 of a with the same b
        Path repo = dir.resolve("v1");
        new RepositoryBuilder("v1").build(bundles, Map.of(), repo);
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), Instant.now());

        assertThat(run("plugin", "update")).as(out + err).isZero();
        assertThat(out).contains("plan: update org.example.a 1.0.0 -> 1.1.0:", "updated org.example.a 1.0.0 -> 1.1.0",
                "updated 1 bundle(s)");
        assertThat(run("plugin", "info", "org.example.a")).isZero();
        assertThat(out).contains("1.1.0");

        assertThat(run("plugin", "rollback")).as(err).isZero();
        assertThat(out).contains("restored org.example.a 1.1.0 -> 1.0.0");
        assertThat(run("plugin", "info", "org.example.a")).isZero();
        assertThat(out).contains("1.0.0").doesNotContain("1.1.0");
    }

    @Test
    void aRequirementWithNoProviderIsNamedBeforeAnythingIsDownloaded() throws IOException {
        Path bundles = chain("gap", "1.0.0", "top", "middle");
        CliFixtures.fabricate(bundles.resolve("middle-1.0.0.jar"), Map.of("Bundle-SymbolicName",
                "org.example.middle", "Bundle-Version", "1.0.0", "Export-Package",
                "org.example.middle;version=\"1.0.0\"", "Import-Package", "org.example.missing;version=\"[2.0,3)\""));
        serveSigned(bundles, "gap");
        addCatalog();
        List<String> before = installation();

        assertThat(run("plugin", "install", "org.example.top")).as(out + err).isEqualTo(1);
        assertThat(err).isEqualTo("recursa: bundle org.example.middle requires package org.example.missing; "
                + "version=[2.0.0,3.0.0), which no installed bundle and no configured catalog provides; nothing was "
                + "installed\n");
        assertThat(installation()).isEqualTo(before);
        assertThat(requests).noneMatch(path -> path.endsWith(".jar"));
    }

    @Test
    void whenTheLastBundleOfAPlanFailsToStartNothingIsInstalled() throws IOException {
        Path bundles = chain("broken", "1.0.0", "top", "base");
        CliFixtures.fabricate(bundles.resolve("top-1.0.0.jar"), Map.of("Bundle-SymbolicName", "org.example.top",
                "Bundle-Version", "1.0.0", "Import-Package", "org.example.base;version=\"[1.0,2)\"",
                "Recursa-Module", "org.example.top.NoSuchModule"));
        serveSigned(bundles, "broken");
        addCatalog();
        List<String> before = installation().stream().filter(f -> f.startsWith("plugins")).toList();

        assertThat(run("plugin", "install", "org.example.top")).as(out + err).isEqualTo(1);
        assertThat(out).contains("plan: install 2 bundle(s), dependencies first:\n  org.example.base 1.0.0 from test");
        assertThat(err.lines()).hasSize(1);
        assertThat(err).startsWith("recursa: ").contains("org.example.top.NoSuchModule");
        assertThat(installation().stream().filter(f -> f.startsWith("plugins")).toList()).isEqualTo(before);
        assertThat(run("plugin", "list")).isZero();
        assertThat(out).doesNotContain("org.example");
    }

    @Test
    void installByFileStillWorks() throws IOException {
        assertThat(run("plugin", "install", jarIn(served.get()).toString())).as(err).isZero();
        assertThat(out).startsWith("installed " + BUNDLE + " 0.1.0.SNAPSHOT: architecture mor");
    }

    @Test
    void anUnknownIdIsAUsageError() {
        addCatalog();
        assertThat(run("plugin", "install", "nope")).isEqualTo(2);
        assertThat(err).isEqualTo("recursa: no configured catalog offers an extension or bundle 'nope'; try "
                + "'recursa plugin search nope'\n");
    }

    @Test
    void refusesACatalogSignedWithAnotherKey() throws IOException {
        KeyPair other = Ed25519Keys.generate();
        addCatalog();
        served.set(repository("other", other, Instant.now(), Duration.ofDays(30)));
        installRefused("is signed by key " + Ed25519Keys.keyId(other.getPublic()) + ", not by the pinned key "
                + Ed25519Keys.keyId(keys.getPublic()) + "; refused");
    }

    @Test
    void catalogAddRefusesACatalogThatDoesNotVerifyAndChangesNothing() throws IOException {
        addCatalog();
        byte[] config = Files.readAllBytes(home.resolve("catalogs.json"));
        Ed25519Keys.write(Ed25519Keys.generate(), dir.resolve("wrong"));

        assertThat(run("catalog", "add", url(), "--key", dir.resolve("wrong.pub").toString(), "--name", "again"))
                .isEqualTo(1);
        assertThat(err).startsWith("recursa: catalog 'again' (" + url() + "): ").contains("not by the pinned key")
                .hasLineCount(1);
        assertThat(run("catalog", "add", "http://127.0.0.1:1/nothing/", "--key", dir.resolve("test.pub").toString()))
                .isEqualTo(1);
        assertThat(err).startsWith("recursa: catalog 'nothing' (http://127.0.0.1:1/nothing/): GET ").hasLineCount(1);
        assertThat(home.resolve("catalogs.json")).hasBinaryContent(config);
    }

    @Test
    void refusesATamperedCatalog() throws IOException {
        Path catalog = served.get().resolve(RepositoryLayout.CATALOG);
        addCatalog();
        Files.writeString(catalog, Files.readString(catalog).replace("Mixture", "Mixture (evil)"));
        installRefused("the signature does not verify with the pinned key");
    }

    @Test
    void refusesARollbackToAnOlderSignedCatalog() throws IOException {
        Path old = dir.resolve("old");
        copy(served.get(), old);
        new CatalogSigner(keys).sign(served.get(), Duration.ofDays(30), Instant.now());
        addCatalog();
        assertThat(run("plugin", "search", "mor")).as(err).isZero(); // version 2 seen
        served.set(old.toRealPath());
        installRefused("version 1 is older than version 2 seen before (rollback); refused");
    }

    @Test
    void refusesAnExpiredCatalog() throws IOException {
        addCatalog();
        served.set(repository("expired", keys, Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1)));
        assertThat(installRefused("expired at ")).contains("refused until the repository is signed again");
    }

    @Test
    void refusesAJarWhoseHashDiffers() throws IOException {
        Path jar = jarIn(served.get());
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 2] ^= 1;
        Files.write(jar, bytes);
        addCatalog();
        assertThat(installRefused(BUNDLE + " 0.1.0.SNAPSHOT: SHA-256 "))
                .contains("in the signed catalog.json; refused");
    }

    @Test
    void refusesACatalogPathThatLeavesTheRepository() throws IOException {
        Path repo = served.get();
        Path catalog = repo.resolve(RepositoryLayout.CATALOG);
        String path = CatalogJson.read(repo).plugins().get(0).path();
        Files.writeString(catalog, Files.readString(catalog).replace("\"" + path + "\"", "\"jars/../../evil.jar\""));
        new CatalogSigner(keys).sign(repo, Duration.ofDays(30), Instant.now()); // signed: only the path is wrong
        addCatalog();
        installRefused("path 'jars/../../evil.jar' in catalog.json has a '..' segment; refused");
        assertThat(requests).noneMatch(r -> r.contains("evil"));
    }

    @Test
    void refusesAnOversizedDownloadAnnouncedOrStreamed() throws IOException {
        Path jar = jarIn(served.get());
        long size = Files.size(jar);
        Files.write(jar, new byte[(int) size * 4]);
        addCatalog();
        installRefused("bytes announced, more than the limit of " + size + "; refused");
        chunked.set(true); // no Content-Length: cut off while streaming
        installRefused("more than the limit of " + size + " bytes; refused");
        try (Stream<Path> left = Files.list(home.resolve("cache/sha256"))) {
            assertThat(left).as("no temporary download is left behind").isEmpty();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
