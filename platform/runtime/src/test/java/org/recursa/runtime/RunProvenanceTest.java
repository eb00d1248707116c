package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.host.Threads;
import org.recursa.engine.kernel.ProductLibrary;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.LayerNorm;
import org.recursa.engine.optim.AdamW;
import org.recursa.runstore.Provenance;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.RunStore;
import org.recursa.runtime.run.Experiment;
import org.recursa.runtime.run.RunRequest;

/**
 * A real run through the real host records what produced it: every started bundle with the SHA-256 of its jar, the
 * package versions the framework exports, the build and the engine, in {@code config.json} and in the checkpoint.
 * Every expected value is computed here independently of the code that records it.
 */
class RunProvenanceTest {

    @TempDir
    static Path home;

    @TempDir
    static Path work;

    private static RecursaHost host;
    /** Symbolic name to the hex SHA-256 of each first-party jar, hashed here as the build wrote it. */
    private static Map<String, String> jarHashes;

    @BeforeAll
    static void start() throws IOException {
        jarHashes = hashesOf(TestBundles.firstParty());
        host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void aRunRecordsEveryStartedBundleWithItsJarHashThePackagesTheBuildAndTheEngine() throws IOException {
        // Once installed, a jar that changes in the store does not change what the framework runs: the recorded
        // hash is that of the bytes installed.
        PluginView copy = host.plugins().info("recursa-task-copy");
        assertThat(copy.sha256()).isEqualTo(jarHashes.get("recursa-task-copy"));
        Files.write(Path.of(copy.file()), new byte[] {0}, StandardOpenOption.APPEND);
        assertThat(sha256(Path.of(copy.file()))).isNotEqualTo(copy.sha256());

        Experiment.Prepared prepared = Experiment.prepare(host, new RunRequest("copy", "vanilla", "greedy",
                Map.of("arch.d_model", "16", "arch.heads", "2", "arch.ffn", "32", "arch.layers", "1",
                        "train.steps", "2", "train.batch_size", "4", "train.eval_examples", "4",
                        "train.warmup", "1"), 1));
        Experiment.Result result = Experiment.execute(prepared, RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);
        RunConfig config = RunStore.at(home.resolve("runs")).open(result.id()).config();
        Provenance provenance = config.provenance();
        assertThat(provenance).isNotNull();

        // bundles: exactly those the framework has started, each with the hash of its jar and its version
        Map<String, String> started = new TreeMap<>();
        for (Bundle bundle : host.framework().getBundleContext().getBundles()) {
            if (bundle.getBundleId() != 0 && bundle.getState() == Bundle.ACTIVE) {
                started.put(bundle.getSymbolicName(), bundle.getVersion().toString());
            }
        }
        assertThat(started).as("every first-party bundle started").containsOnlyKeys(jarHashes.keySet());
        assertThat(provenance.bundles()).extracting(Provenance.Bundle::symbolicName)
                .containsExactlyElementsOf(started.keySet());
        for (Provenance.Bundle bundle : provenance.bundles()) {
            assertThat(bundle.sha256()).as(bundle.symbolicName()).isEqualTo(jarHashes.get(bundle.symbolicName()));
            assertThat(bundle.version()).as(bundle.symbolicName()).isEqualTo(started.get(bundle.symbolicName()));
        }
        assertThat(provenance.supplierOf("task").map(Provenance.Bundle::symbolicName)).hasValue("recursa-task-copy");
        assertThat(provenance.supplierOf("architecture").map(Provenance.Bundle::symbolicName))
                .hasValue("recursa-arch-vanilla");
        assertThat(provenance.supplierOf("sampler").map(Provenance.Bundle::symbolicName))
                .hasValue("recursa-sampler-greedy");
        assertThat(provenance.bundles()).filteredOn(b -> b.symbolicName().startsWith("recursa-tasks-"))
                .isNotEmpty().allSatisfy(b -> assertThat(b.supplies()).isEmpty());

        // packages: as the framework's system bundle exports them to plugins
        Map<String, Version> exported = new TreeMap<>();
        for (BundleCapability export : host.framework().adapt(BundleWiring.class)
                .getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            String name = (String) export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            if (name.startsWith("org.recursa.")) {
                exported.put(name, (Version) export.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE));
            }
        }
        assertThat(exported).containsKeys("org.recursa.api", "org.recursa.api.task", "org.recursa.engine.nn",
                "org.recursa.engine.optim").doesNotContainKeys("org.recursa.runstore", "org.recursa.engine.kernel",
                "org.recursa.engine.host");
        Map<String, Version> recorded = new TreeMap<>();
        provenance.packages().forEach((name, version) -> recorded.put(name, Version.parseVersion(version)));
        assertThat(recorded).isEqualTo(exported);
        Map<String, String> api = new TreeMap<>();
        exported.forEach((name, version) -> {
            if (name.startsWith("org.recursa.api")) {
                api.put(name, version.toString());
            }
        });
        assertThat(config.platform().get("api")).as("platform.api: every API package's version")
                .isEqualTo(api);
        assertThat(api).containsKeys("org.recursa.api", "org.recursa.api.model", "org.recursa.api.compress");
        assertThat(provenance.packages()).as("the versions of this API release (docs/api-versioning.md)")
                .containsEntry("org.recursa.api", "1.0.0").containsEntry("org.recursa.api.model", "1.0.0")
                .containsEntry("org.recursa.engine.nn", "1.1.0").containsEntry("org.recursa.engine.train", "1.3.0");

        // the build
        assertThat(provenance.platform().version()).isEqualTo(System.getProperty("recursa.version"));
        gitHead().ifPresent(head -> {
            assertThat(provenance.platform().commit()).as("the commit the runtime was built from").isEqualTo(head);
            assertThat(provenance.platform().dirty()).isNotNull();
        });

        // the engine: the constants it computes with, and the libraries this process loaded
        Provenance.Engine engine = provenance.engine();
        assertThat(engine.adam()).isEqualTo(new Provenance.Adam(AdamW.BETA1, AdamW.BETA2, AdamW.EPS));
        assertThat(prepared.train().asMap()).doesNotContainKeys("beta1", "beta2", "eps");
        assertThat(engine.init().std()).isEqualTo(Block.Shape.STD).isEqualTo(0.02);
        assertThat(engine.layerNormEps()).isEqualTo(LayerNorm.EPS);
        assertThat(engine.precision()).isEqualTo("FLOAT");
        assertThat(engine.kernelThreads()).isEqualTo(Threads.configured());
        assertThat(engine.nd4j()).as("the version directory of the jar Nd4j was loaded from")
                .isEqualTo(Path.of(Nd4j.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                        .getParent().getFileName().toString());
        for (String library : engine.blas().split(", ")) {
            assertThat(Path.of(library)).isRegularFile()
                    .satisfies(file -> assertThat(file.getFileName().toString()).startsWith("libopenblas"));
        }
        assertThat(engine.products()).as("which library computed the products: oneDNN loads on linux-x86_64")
                .isEqualTo(ProductLibrary.selected().describe()).startsWith("oneDNN 2.");
        assertThat(engine.java()).isEqualTo(Runtime.version().toString());
        assertThat(engine.arch()).isEqualTo(System.getProperty("os.arch"));

        // the checkpoint carries the same provenance, so a copy of it elsewhere still says what produced it
        Path checkpoint = result.dir().resolve("checkpoint/model.rckpt");
        Path elsewhere = Files.copy(checkpoint, work.resolve("copied.rckpt"));
        Map<String, Object> header = Checkpoint.read(elsewhere).header().provenance();
        assertThat(header).containsEntry("run", result.id()).containsEntry("steps", 2);
        assertThat(Provenance.fromMap(header)).isEqualTo(provenance);
    }

    @Test
    void aBundleInstalledWhileTheHostRunsIsListedWithTheHashOfItsFile() throws Exception {
        Path echo = TestBundles.fabricate(work.resolve("echo.jar"), Map.of(
                "Bundle-SymbolicName", "test.provenance.echo", "Bundle-Version", "1.2.3",
                "Import-Package", "org.recursa.api;version=\"[1.0,2)\",org.recursa.api.task;version=\"[1.0,2)\","
                        + "org.recursa.api.plugin;version=\"[1.0,2)\",com.google.inject",
                "Recursa-Module", org.recursa.runtime.fixtures.EchoModule.class.getName()),
                org.recursa.runtime.fixtures.EchoModule.class, org.recursa.runtime.fixtures.EchoTask.class);
        String hash = sha256(echo);
        host.plugins().install(echo);
        try {
            assertThat(host.plugins().started())
                    .filteredOn(b -> b.bundle().symbolicName().equals("test.provenance.echo")).singleElement()
                    .satisfies(b -> {
                        assertThat(b.bundle().version()).isEqualTo("1.2.3");
                        assertThat(b.sha256()).isEqualTo(hash);
                    });
        } finally {
            host.plugins().uninstall("test.provenance.echo");
        }
        assertThat(host.plugins().started()).noneMatch(b -> b.bundle().symbolicName().equals("test.provenance.echo"));
    }

    /** The commit checked out where the tests run, or empty without git or a repository. */
    private static Optional<String> gitHead() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean ok = git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{40}");
            return ok ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Map<String, String> hashesOf(Path dir) throws IOException {
        Map<String, String> hashes = new HashMap<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                Manifest manifest;
                try (JarFile file = new JarFile(jar.toFile())) {
                    manifest = file.getManifest();
                }
                String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
                hashes.put(name, sha256(jar));
            }
        }
        assertThat(hashes).hasSizeGreaterThan(5);
        return hashes;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
