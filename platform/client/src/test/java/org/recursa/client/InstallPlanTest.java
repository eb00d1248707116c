package org.recursa.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogException;
import org.recursa.repository.CatalogJson;
import org.recursa.repository.RepositoryBuilder;
import org.recursa.repository.RepositoryLayout;

/**
 * Plans made by the framework's resolver over real repository indexes (written by the repository module from bundle
 * jars) against the bundles installed in a real Felix framework.
 */
class InstallPlanTest {

    @TempDir
    Path dir;

    private Framework framework;

    @AfterEach
    void stop() throws BundleException, InterruptedException {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void installsTheClosureDependenciesFirstPreferringTheHighestVersion() throws IOException {
        CatalogIndex a = repository("a", bundle("top", "1.0.0", "looped", null, "mid"),
                bundle("mid", "1.0.0", null, "mid", "base,core"), bundle("base", "1.0.0", null, "base", null),
                bundle("base", "1.2.0", null, "base", null));
        CatalogIndex b = repository("b", bundle("core", "2.0.0", null, "core", null));

        assertThat(bundles(InstallPlan.install(List.of(a, b), "looped", null, installed())))
                .containsExactly("base@1.2.0", "core@2.0.0", "mid@1.0.0", "top@1.0.0");
        InstallPlan plan = InstallPlan.install(List.of(a, b), "top", null, installed());
        assertThat(plan.steps()).extracting(InstallPlan.Step::dependency).containsExactly(true, true, true, false);
        assertThat(plan.steps().get(1).from().catalog().name()).isEqualTo("b");
    }

    @Test
    void prefersWhatIsInstalledAndLeavesItOutOfThePlan() throws IOException, BundleException {
        CatalogIndex a = repository("a", bundle("top", "1.0.0", "looped", null, "mid"),
                bundle("mid", "1.0.0", null, "mid", "base"), bundle("base", "1.2.0", null, "base", null));
        Path older = writeJar(dir.resolve("base-1.0.0.jar"), bundle("base", "1.0.0", null, "base", null));

        Map<Resource, Wiring> installed = installed(older);

        assertThat(bundles(InstallPlan.install(List.of(a), "looped", null, installed)))
                .containsExactly("mid@1.0.0", "top@1.0.0");
        assertThatThrownBy(() -> InstallPlan.install(List.of(a), "base", null, installed))
                .isInstanceOf(PluginNotFoundException.class).hasMessage("bundle base is already installed; use "
                        + "'recursa plugin update base' or uninstall it first");
    }

    @Test
    void anUpdatePlansTheNewerVersionWithTheNewDependencyItNeeds() throws IOException, BundleException {
        CatalogIndex a = repository("a", bundle("tool", "2.0.0", "tool", null, "helper"),
                bundle("helper", "1.0.0", null, "helper", null));
        Path old = writeJar(dir.resolve("tool-1.0.0.jar"), bundle("tool", "1.0.0", "tool", null, null));
        Map<Resource, Wiring> installed = installed(old);

        assertThat(bundles(InstallPlan.update(List.of(a), "tool", "1.0.0", null, installed)))
                .containsExactly("helper@1.0.0", "tool@2.0.0");
        assertThat(InstallPlan.update(List.of(a), "tool", "2.0.0", null, installed).steps())
                .as("nothing newer").isEmpty();
    }

    @Test
    void picksTheVersionAskedForInEitherSpelling() throws IOException {
        CatalogIndex a = repository("a", bundle("x", "0.9.0", "x", null, null), bundle("x", "0.10.0", "x", null, null),
                bundle("x", "0.1.0.SNAPSHOT", "x", null, null));
        assertThat(bundles(InstallPlan.install(List.of(a), "x", null, installed()))).containsExactly("x@0.10.0");
        assertThat(bundles(InstallPlan.install(List.of(a), "x", "0.1.0-SNAPSHOT", installed())))
                .containsExactly("x@0.1.0.SNAPSHOT");
    }

    @Test
    void saysWhichRequirementOfWhichBundleHasNoProvider() throws IOException {
        CatalogIndex a = repository("a", bundle("top", "1.0.0", "looped", null, "mid"),
                bundle("mid", "1.0.0", null, "mid", "gone"));
        assertThatThrownBy(() -> InstallPlan.install(List.of(a), "looped", null, installed()))
                .isInstanceOf(CatalogException.class)
                .hasMessage("bundle mid requires package org.example.gone; version=[1.0.0,2.0.0), which no installed "
                        + "bundle and no configured catalog provides; nothing was installed");
    }

    @Test
    void refusesAnUnknownAndAnAmbiguousId() throws IOException {
        CatalogIndex two = repository("b", bundle("one", "1.0.0", "dup", null, null),
                bundle("two", "1.0.0", "dup", null, null));
        assertThatThrownBy(() -> InstallPlan.install(List.of(two), "dup", null, installed()))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessage("'dup' is offered by several bundles (one, two); name the bundle instead");
        assertThatThrownBy(() -> InstallPlan.install(List.of(two), "nope", null, installed()))
                .hasMessage("no configured catalog offers an extension or bundle 'nope'; try 'recursa plugin search "
                        + "nope'");
    }

    @Test
    void refusesAnIndexThatDisagreesWithTheSignedCatalog() throws IOException {
        Path repo = build("c", bundle("one", "1.0.0", "one", null, null));
        Catalog catalog = CatalogJson.read(repo);
        Catalog.Plugin entry = catalog.plugins().get(0);
        Catalog.Plugin forged = new Catalog.Plugin(entry.bundle(), entry.version(), entry.path(), "ab".repeat(32),
                entry.size(), entry.name(), entry.summary(), entry.description(), entry.authors(), entry.license(),
                entry.homepage(), entry.keywords(), entry.paper(), entry.api(), entry.extensions(), entry.requires());
        VerifiedCatalog verified = verified(new Catalog(catalog.format(), catalog.name(), catalog.version(),
                catalog.expires(), catalog.index(), List.of(forged)), repo);
        assertThatThrownBy(() -> CatalogIndex.parse(verified, Files.readAllBytes(repo.resolve("index.xml"))))
                .hasMessage("index.xml of catalog 'c' gives one 1.0.0 another SHA-256 than catalog.json; the "
                        + "repository is inconsistent");
    }

    /**
     * A bundle's manifest: {@code exports} and {@code imports} are comma-separated short package names under
     * {@code org.example}; {@code id} is the extension it offers, if any.
     */
    private record Spec(String bsn, String version, String id, String exports, String imports) {
    }

    private static Spec bundle(String bsn, String version, String id, String exports, String imports) {
        return new Spec(bsn, version, id, exports, imports);
    }

    private CatalogIndex repository(String name, Spec... specs) throws IOException {
        Path repo = build(name, specs);
        return CatalogIndex.parse(verified(CatalogJson.read(repo), repo), Files.readAllBytes(repo.resolve(
                RepositoryLayout.INDEX)));
    }

    private Path build(String name, Spec... specs) throws IOException {
        Path jars = Files.createDirectories(dir.resolve(name + "-jars"));
        Map<String, List<Catalog.Extension>> extensions = new HashMap<>();
        for (Spec spec : specs) {
            writeJar(jars.resolve(spec.bsn() + "-" + spec.version() + ".jar"), spec);
            if (spec.id() != null) {
                extensions.put(spec.bsn(), List.of(new Catalog.Extension("task", spec.id(), "desc")));
            }
        }
        Path repo = dir.resolve(name);
        new RepositoryBuilder(name).build(jars, extensions, repo);
        return repo;
    }

    private static VerifiedCatalog verified(Catalog catalog, Path repo) {
        return new VerifiedCatalog(new CatalogSource(catalog.name(), repo.toString(), "ed25519 AAAA"), catalog);
    }

    private static Path writeJar(Path target, Spec spec) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, spec.bsn());
        main.putValue(Constants.BUNDLE_VERSION, spec.version());
        if (spec.exports() != null) {
            main.putValue(Constants.EXPORT_PACKAGE, packages(spec.exports(), "version=\"1.0.0\""));
        }
        if (spec.imports() != null) {
            main.putValue(Constants.IMPORT_PACKAGE, packages(spec.imports(), "version=\"[1.0,2)\""));
        }
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out,
                manifest)) {
            jar.flush();
        }
        return target;
    }

    private static String packages(String names, String attribute) {
        return String.join(",", java.util.Arrays.stream(names.split(","))
                .map(n -> "org.example." + n + ";" + attribute).toList());
    }

    /** The resolved bundles of a real framework with {@code jars} installed and resolved. */
    private Map<Resource, Wiring> installed(Path... jars) {
        try {
            return start(jars);
        } catch (BundleException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<Resource, Wiring> start(Path... jars) throws BundleException {
        if (framework != null) {
            framework.stop();
        }
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        for (Path jar : jars) {
            framework.getBundleContext().installBundle(jar.toUri().toString());
        }
        framework.adapt(FrameworkWiring.class).resolveBundles(null);
        Map<Resource, Wiring> wirings = new LinkedHashMap<>();
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision.getWiring() != null) {
                wirings.put(revision, revision.getWiring());
            }
        }
        return wirings;
    }

    private static List<String> bundles(InstallPlan plan) {
        return plan.steps().stream().map(s -> s.plugin().bundle() + "@" + s.plugin().version()).toList();
    }
}
