package org.recursa.tck.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.recursa.runtime.BundleFile;
import org.recursa.runtime.ExtensionEntry;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;

/**
 * The bundle check for a plugin's built jar: installs it, exactly as {@code recursa plugin install} does, into a real
 * host (embedded Felix exporting the host's packages at the host's versions) on a temporary home, and reports every
 * rule the jar breaks. Call it from a plugin's tests after the jar is built, e.g. from a failsafe {@code *IT}:
 * <pre>{@code BundleConformance.verify(Path.of("target/my-plugin-1.0.0.jar"));}</pre>
 *
 * <p>The rules: the jar is an OSGi bundle; every import resolves against the host's exports (a mismatched range
 * names the package, the range the bundle wants and the version the host exports); the {@code Recursa-Module}
 * class exists and is a {@code PluginModule}; the bundle registers at least one extension; no id is offered twice
 * within a kind; every extension passes the install checks of {@code plugin install} (a task's splits, determinism,
 * held-out inputs, vocabulary and derivations; an architecture's default model runs a forward pass); no id is one of
 * {@code takenIds} or the id of a first-party extension of the same kind.
 */
public final class BundleConformance {

    private BundleConformance() {
    }

    /**
     * Checks a built plugin jar against the host of this Recursa version.
     *
     * @param jar the plugin bundle, e.g. {@code target/my-plugin-1.0.0.jar}
     * @throws AssertionError with one line per broken rule
     */
    public static void verify(Path jar) {
        verify(jar, Set.of());
    }

    /**
     * As {@link #verify(Path)}, and none of the bundle's extension ids may be one of {@code takenIds} (of any kind),
     * e.g. the ids of the other plugins a lab installs.
     *
     * @throws AssertionError with one line per broken rule
     */
    public static void verify(Path jar, Set<String> takenIds) {
        verify(jar, takenIds, List.of());
    }

    /**
     * As {@link #verify(Path, Set)}, with other plugin bundles installed first: the bundles whose exported packages
     * this one imports.
     *
     * @param dependencies plugin jars to install before {@code jar}, in order
     * @throws AssertionError with one line per broken rule
     */
    public static void verify(Path jar, Set<String> takenIds, List<Path> dependencies) {
        List<String> broken = problems(jar, takenIds, dependencies);
        if (!broken.isEmpty()) {
            throw new AssertionError(String.join(System.lineSeparator(), broken));
        }
    }

    /**
     * Every rule {@code jar} breaks, one line each; empty when it conforms.
     *
     * @param dependencies plugin jars to install before {@code jar}, in order
     */
    public static List<String> problems(Path jar, Set<String> takenIds, List<Path> dependencies) {
        return check(jar, takenIds, dependencies).problems();
    }

    /**
     * The verdict on {@code jar} and, when it installed, the extensions it registered: what a catalog lists for it.
     *
     * @param problems   every rule broken, one line each; empty when it conforms
     * @param extensions the extensions the installed bundle registered (empty if it did not install)
     */
    public record Report(List<String> problems, List<Extension> extensions) {

        public Report {
            problems = List.copyOf(problems);
            extensions = List.copyOf(extensions);
        }
    }

    /**
     * One extension a checked bundle registered.
     *
     * @param kind        its kind's label: architecture, task, sampler, compressor
     * @param id          its id
     * @param description its one-line description
     */
    public record Extension(String kind, String id, String description) {
    }

    /**
     * As {@link #problems}, with the extensions the bundle registered in the host.
     *
     * @param dependencies plugin jars to install before {@code jar}, in order
     */
    public static Report check(Path jar, Set<String> takenIds, List<Path> dependencies) {
        List<Extension> registered = new ArrayList<>();
        List<String> broken = problems(jar, takenIds, dependencies, registered);
        return new Report(broken, broken.isEmpty() ? registered : List.of());
    }

    private static List<String> problems(Path jar, Set<String> takenIds, List<Path> dependencies,
            List<Extension> registered) {
        List<String> broken = new ArrayList<>();
        BundleFile bundle;
        try {
            bundle = BundleFile.read(jar);
        } catch (RecursaException e) {
            return List.of(e.getMessage());
        }
        Path home = temporaryHome();
        try (RecursaHost host = RecursaHost.start(new RecursaHome(home), Optional.empty())) {
            for (Path dependency : dependencies) {
                try {
                    host.plugins().install(dependency);
                } catch (RecursaException e) {
                    broken.add("dependency " + dependency.getFileName() + " cannot be installed: " + e.getMessage());
                    return broken;
                }
            }
            PluginView installed;
            try {
                installed = host.plugins().install(jar);
            } catch (RecursaException e) {
                broken.add(e.getMessage());
                return broken;
            }
            if (installed.extensions().isEmpty()) {
                broken.add(noExtension(bundle));
            }
            for (ExtensionEntry extension : installed.extensions()) {
                registered.add(new Extension(extension.kind().label(), extension.id(), extension.description()));
                collision(bundle, extension, takenIds).ifPresent(broken::add);
            }
        } finally {
            delete(home);
        }
        return broken;
    }

    private static String noExtension(BundleFile bundle) {
        String name = bundle.symbolicName() + " " + bundle.version();
        if (bundle.module() == null) {
            return "bundle " + name + " registers no extension: its manifest has no Recursa-Module header; name the "
                    + "plugin's PluginModule there (bnd.bnd: Recursa-Module: com.example.MyModule)";
        }
        return "bundle " + name + " registers no extension: its module " + bundle.module().trim() + " binds none; "
                + "bind one in configureExtensions() with task(...), architecture(...), sampler(...) or "
                + "compressor(...)";
    }

    private static Optional<String> collision(BundleFile bundle, ExtensionEntry extension, Set<String> takenIds) {
        String kind = extension.kind().label();
        String what = "bundle " + bundle.symbolicName() + " " + bundle.version() + " offers " + kind + " '"
                + extension.id() + "'";
        if (takenIds.contains(extension.id())) {
            return Optional.of(what + ", an id that is already taken (" + String.join(", ", takenIds.stream().sorted()
                    .toList()) + "); choose another id");
        }
        return FirstPartyExtensions.find(kind, extension.id())
                .filter(first -> !first.bundle().equals(bundle.symbolicName()))
                .map(first -> what + ", the id of the first-party " + kind + " of " + first.bundle()
                        + ", so it cannot be installed beside the distribution's plugins; choose another id");
    }

    private static Path temporaryHome() {
        try {
            return Files.createTempDirectory("recursa-bundle-check-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary Recursa home: " + e.getMessage(), e);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the verdict stands.
        }
    }
}
