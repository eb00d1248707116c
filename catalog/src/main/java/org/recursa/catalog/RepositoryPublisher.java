package org.recursa.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogJson;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.RepositoryBuilder;
import org.recursa.repository.RepositoryFiles;
import org.recursa.repository.RepositoryLayout;
import org.recursa.tck.bundle.BundleConformance;

/**
 * Adds an uploaded bundle to a repository directory. Under one lock per repository: the upload is checked (a bundle,
 * a version not yet there, the SDK's bundle check in a real host), the repository's next state is built in a
 * staging directory inside it (jars, index.xml and catalog.json by the repository module, signed by
 * {@link CatalogSigner}) and only then moved in: the new jar, index.xml, catalog.json and catalog.json.sig last, each
 * by an atomic rename. A rejected upload never touches the repository's files.
 */
final class RepositoryPublisher {

    /** One lock per repository directory, shared by every server of this JVM that serves it. */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();
    /** The bundle check starts an embedded host; one at a time keeps the server's memory bounded. */
    private static final Object CHECK = new Object();

    private final PublishSettings settings;

    RepositoryPublisher(PublishSettings settings) {
        this.settings = settings;
    }

    /**
     * What a publish did.
     *
     * @param bundle         the symbolic name added
     * @param version        its version
     * @param repository     the repository's name
     * @param catalogVersion the signed catalog's new version
     * @param extensions     what the bundle registers, as listed in catalog.json
     */
    record Published(String bundle, String version, String repository, long catalogVersion,
            List<Catalog.Extension> extensions) {
    }

    /** @throws PublishRejected with the status and line to answer; the repository is then unchanged */
    Published publish(Path root, Path upload) {
        synchronized (LOCKS.computeIfAbsent(root.toAbsolutePath().normalize(), k -> new Object())) {
            Catalog current = CatalogJson.read(root);
            UploadedBundle bundle = UploadedBundle.read(upload);
            for (Catalog.Plugin plugin : current.plugins()) {
                if (plugin.bundle().equals(bundle.symbolicName()) && bundle.sameVersion(plugin.version())) {
                    throw new PublishRejected(409, "bundle " + bundle.symbolicName() + " " + bundle.version()
                            + " is already in " + current.name() + "; publish a higher Bundle-Version");
                }
            }
            List<Catalog.Extension> extensions = check(root, current, bundle, upload);
            Catalog signed = addAndSign(root, current, bundle, upload, extensions);
            return new Published(bundle.symbolicName(), bundle.version(), signed.name(), signed.version(),
                    extensions);
        }
    }

    /** Runs the SDK's bundle check with the repository bundles it imports from installed first. */
    private static List<Catalog.Extension> check(Path root, Catalog current, UploadedBundle bundle, Path upload) {
        Set<String> taken = new LinkedHashSet<>();
        for (Catalog.Plugin plugin : current.plugins()) {
            if (!plugin.bundle().equals(bundle.symbolicName())) {
                plugin.extensions().forEach(e -> taken.add(e.id()));
            }
        }
        List<Path> dependencies = dependencies(root, current, bundle);
        BundleConformance.Report report;
        synchronized (CHECK) {
            try {
                report = BundleConformance.check(upload, taken, dependencies);
            } catch (RuntimeException | LinkageError e) {
                throw new PublishRejected(500, "the bundle check could not run: " + e);
            }
        }
        if (!report.problems().isEmpty()) {
            int more = report.problems().size() - 1;
            throw new PublishRejected(422, "the bundle check refused it: " + report.problems().get(0)
                    + (more > 0 ? " (and " + more + " more)" : ""));
        }
        return report.extensions().stream()
                .map(e -> new Catalog.Extension(e.kind(), e.id(), e.description())).toList();
    }

    /**
     * The repository's jars whose exported packages the upload imports, and theirs in turn, each after the ones it
     * needs: the bundle check installs them first, as a client's install would.
     */
    private static List<Path> dependencies(Path root, Catalog current, UploadedBundle bundle) {
        Map<String, Path> exporters = new HashMap<>();
        Map<Path, Manifest> manifests = new HashMap<>();
        for (Catalog.Plugin plugin : current.plugins()) {
            Path jar = RepositoryFiles.resolveInside(root, plugin.path());
            Manifest manifest = manifest(jar);
            manifests.put(jar, manifest);
            for (String pkg : UploadedBundle.packages(manifest, "Export-Package")) {
                exporters.putIfAbsent(pkg, jar);
            }
        }
        LinkedHashSet<Path> ordered = new LinkedHashSet<>();
        visit(bundle.manifest(), exporters, manifests, ordered, new LinkedHashSet<>());
        return List.copyOf(ordered);
    }

    private static void visit(Manifest manifest, Map<String, Path> exporters, Map<Path, Manifest> manifests,
            Set<Path> ordered, Set<Path> visiting) {
        for (String pkg : UploadedBundle.packages(manifest, "Import-Package")) {
            Path jar = exporters.get(pkg);
            if (jar != null && !ordered.contains(jar) && visiting.add(jar)) {
                visit(manifests.get(jar), exporters, manifests, ordered, visiting);
                ordered.add(jar);
            }
        }
    }

    private static Manifest manifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest();
        } catch (IOException e) {
            return null;
        }
    }

    private Catalog addAndSign(Path root, Catalog current, UploadedBundle bundle, Path upload,
            List<Catalog.Extension> extensions) {
        Path stage;
        try {
            // inside the repository, so that the final renames stay on one file system and are atomic; the server
            // never serves a dot directory
            stage = Files.createTempDirectory(root, ".publish-");
        } catch (IOException e) {
            throw new PublishRejected(500, "cannot stage the repository in " + root + ": " + e.getMessage());
        }
        try {
            Path in = Files.createDirectories(stage.resolve("in"));
            Path out = Files.createDirectories(stage.resolve("out"));
            Map<String, List<Catalog.Extension>> known = new LinkedHashMap<>();
            for (Catalog.Plugin plugin : current.plugins()) {
                Path jar = RepositoryFiles.resolveInside(root, plugin.path());
                link(jar, in.resolve(jar.getFileName().toString()));
                known.put(plugin.bundle() + "@" + plugin.version(), plugin.extensions());
            }
            String jarPath = RepositoryLayout.jarPath(bundle.symbolicName(), bundle.version());
            Files.copy(upload, in.resolve(Path.of(jarPath).getFileName().toString()));
            known.put(bundle.symbolicName() + "@" + bundle.version(), extensions);
            // the builder keeps catalog.json's version from here, so the signer counts on from the served one
            Files.copy(root.resolve(RepositoryLayout.CATALOG), out.resolve(RepositoryLayout.CATALOG));
            new RepositoryBuilder(current.name())
                    .build(in, (bsn, version) -> known.getOrDefault(bsn + "@" + version, List.of()), out);
            Catalog signed = new CatalogSigner(settings.signingKeys()).sign(out, settings.validity(), Instant.now());
            Files.createDirectories(root.resolve(RepositoryLayout.JARS));
            swap(out.resolve(jarPath), root.resolve(jarPath));
            swap(out.resolve(RepositoryLayout.INDEX), root.resolve(RepositoryLayout.INDEX));
            swap(out.resolve(RepositoryLayout.CATALOG), root.resolve(RepositoryLayout.CATALOG));
            swap(out.resolve(RepositoryLayout.SIGNATURE), root.resolve(RepositoryLayout.SIGNATURE));
            return signed;
        } catch (IOException | org.recursa.repository.CatalogException e) {
            throw new PublishRejected(500, "cannot add " + bundle.symbolicName() + " " + bundle.version() + " to "
                    + current.name() + ": " + e.getMessage());
        } finally {
            delete(stage);
        }
    }

    private static void link(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(existing, link);
        }
    }

    private static void swap(Path staged, Path target) throws IOException {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover staging directory is never served and the next publish makes its own
        }
    }
}
