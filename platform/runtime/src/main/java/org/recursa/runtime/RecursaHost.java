package org.recursa.runtime;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.recursa.engine.host.EngineStart;
import org.recursa.runstore.AtomicFiles;

/**
 * The running platform: an embedded OSGi framework (Felix, found through {@link FrameworkFactory}), the host
 * injector, the {@link ModuleExtender} and the {@link ExtensionRegistry} it fills, and the
 * {@link PluginStore}. Start one per process with {@link #start}; close it to stop the framework.
 *
 * <p>Each process gets its own framework cache under {@code $RECURSA_HOME/framework}, cleaned at start and
 * deleted at close: the plugin journal, not the cache, says what is installed, so two processes never
 * share (and corrupt) one cache. A home that cannot be written (a read-only mount, no permission) is used
 * read-only: the cache goes to a temporary directory instead, and nothing is written into the home.
 */
public final class RecursaHost implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String RECURSA = "org.recursa";

    private final Framework framework;
    private final Path cache;
    private final Injector injector;
    private final ExtensionRegistry registry;
    private final ModuleExtender extender;
    private final PluginStore plugins;

    private RecursaHost(Framework framework, Path cache, Injector injector, ExtensionRegistry registry,
                        ModuleExtender extender, PluginStore plugins) {
        this.framework = framework;
        this.cache = cache;
        this.injector = injector;
        this.registry = registry;
        this.extender = extender;
        this.plugins = plugins;
    }

    /**
     * Starts the platform.
     *
     * @param home         the state directory
     * @param distribution the distribution's {@code plugins/} directory, whose bundles are installed on first
     *                     start (and refreshed when the distribution ships new builds of them)
     */
    public static RecursaHost start(RecursaHome home, Optional<Path> distribution) {
        // Before any plugin starts: a plugin's code must find ND4J's backend loaded by the host (DESIGN.md).
        EngineStart.start();
        Optional<String> readOnly = HomeAccess.readOnlyProblem(home);
        Path cache = readOnly.isPresent() ? temporaryCache() : freshCache(home.framework());
        Framework framework = newFramework(cache);
        try {
            framework.start();
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new HostModule());
            ExtensionRegistry registry = new ExtensionRegistry();
            ModuleExtender extender = new ModuleExtender(framework.getBundleContext(), injector, registry);
            extender.open();
            PluginStore plugins = new PluginStore(home.plugins(), framework.getBundleContext(), registry, readOnly);
            RecursaHost host = new RecursaHost(framework, cache, injector, registry, extender, plugins);
            try {
                plugins.startInstalled(distribution);
            } catch (RuntimeException e) {
                host.close();
                throw e;
            }
            return host;
        } catch (BundleException e) {
            deleteTree(cache);
            throw new RecursaException("cannot start the plugin framework: " + e.getMessage(), e);
        }
    }

    /** The extensions of every started plugin. */
    public ExtensionRegistry registry() {
        return registry;
    }

    /** Installed plugins: list, install, uninstall. */
    public PluginStore plugins() {
        return plugins;
    }

    /** The host injector, parent of every plugin's injector; binds host services only. */
    public Injector injector() {
        return injector;
    }

    /** The embedded framework, for tools and tests that inspect bundles. */
    public Framework framework() {
        return framework;
    }

    /**
     * The version at which the host exports a package to plugins, e.g. the API's.
     *
     * @param packageName a package name such as {@code org.recursa.api}
     */
    public static Optional<String> exportedVersion(String packageName) {
        return SystemPackages.clauses().stream()
                .flatMap(clause -> ManifestHeader.parse(clause).stream())
                .filter(clause -> clause.names().contains(packageName))
                .findFirst().flatMap(clause -> clause.attribute("version"));
    }

    /**
     * Recursa's own packages the host exports to plugins, the API and the engine's public layers: every exported
     * {@code org.recursa} package, name to version, by name. Read from the build's list, without starting anything.
     */
    public static SortedMap<String, String> exportedRecursaPackages() {
        SortedMap<String, String> packages = new TreeMap<>();
        for (String clause : SystemPackages.clauses()) {
            for (ManifestHeader.Clause parsed : ManifestHeader.parse(clause)) {
                String version = parsed.attribute("version").orElse("0.0.0");
                parsed.names().stream().filter(name -> name.equals(RECURSA) || name.startsWith(RECURSA + "."))
                        .forEach(name -> packages.putIfAbsent(name, version));
            }
        }
        return packages;
    }

    /** Stops every plugin and the framework, and deletes this process's framework cache. */
    @Override
    public void close() {
        extender.close();
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException e) {
            throw new RecursaException("cannot stop the plugin framework: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(cache);
        }
    }

    private static Framework newFramework(Path cache) {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra());
        config.put("felix.log.level", "1");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, RecursaHost.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        return factory.newFramework(config);
    }

    /** A new cache directory for this process; caches of processes that have ended are removed. */
    private static Path freshCache(Path frameworkDir) {
        try {
            Files.createDirectories(frameworkDir);
            try (DirectoryStream<Path> caches = Files.newDirectoryStream(frameworkDir, "cache-*")) {
                for (Path old : caches) {
                    if (!ownerAlive(old)) {
                        deleteTree(old);
                    }
                }
            }
            long pid = ProcessHandle.current().pid();
            return frameworkDir.resolve("cache-" + pid + "-" + INSTANCES.incrementAndGet());
        } catch (IOException e) {
            throw new RecursaException("cannot prepare the framework cache in " + frameworkDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** A cache outside a read-only home, in {@code java.io.tmpdir}; deleted at close like any other. */
    private static Path temporaryCache() {
        try {
            return Files.createTempDirectory("recursa-framework-");
        } catch (IOException e) {
            throw new RecursaException("the home is read-only and no framework cache can be made in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    private static boolean ownerAlive(Path cache) {
        String[] parts = cache.getFileName().toString().split("-");
        try {
            long pid = Long.parseLong(parts[1]);
            return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** Host services for plugins. Explicit bindings only, so no plugin class is ever bound here. */
    private static final class HostModule extends AbstractModule {
        @Override
        protected void configure() {
            binder().requireExplicitBindings();
        }
    }
}
