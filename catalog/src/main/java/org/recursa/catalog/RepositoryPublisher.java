package org.recursa.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogJson;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.RepositoryBuilder;
import org.recursa.repository.RepositoryFiles;
import org.recursa.repository.RepositoryLayout;
import org.recursa.repository.RepositoryLock;
import org.recursa.tck.bundle.BundleConformance;

/**
 * Adds an uploaded bundle to a repository directory. Under the repository's lock ({@link RepositoryLock}: across
 * threads and processes, so two servers on one directory or a server and {@code recursa catalog sign} never lose
 * each other's change) the upload is checked (a bundle, a version not yet there, the SDK's bundle check in a real
 * host), the repository's next state is built in a staging directory inside it (the existing jars hard-linked, not
 * copied; index.xml and catalog.json by the repository module, signed by {@link CatalogSigner}) and only then moved
 * in: the new jar, index.xml, catalog.json and catalog.json.sig last, each by an atomic rename. A rename that fails
 * midway puts back what was already moved, so the repository stays as it was. A rejected upload never touches the
 * repository's files.
 */
final class RepositoryPublisher {

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
        return RepositoryLock.holding(root, () -> publishLocked(root, upload));
    }

    private Published publishLocked(Path root, Path upload) {
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
        return new Published(bundle.symbolicName(), bundle.version(), signed.name(), signed.version(), extensions);
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
            Path out = Files.createDirectories(stage.resolve("out"));
            Path jars = Files.createDirectories(out.resolve(RepositoryLayout.JARS));
            Map<String, List<Catalog.Extension>> known = new LinkedHashMap<>();
            for (Catalog.Plugin plugin : current.plugins()) {
                // the builder indexes jars already at their place where they are: only the upload is new bytes
                link(RepositoryFiles.resolveInside(root, plugin.path()),
                        out.resolve(RepositoryLayout.jarPath(plugin.bundle(), plugin.version())));
                known.put(plugin.bundle() + "@" + plugin.version(), plugin.extensions());
            }
            String jarPath = RepositoryLayout.jarPath(bundle.symbolicName(), bundle.version());
            Files.copy(upload, out.resolve(jarPath));
            known.put(bundle.symbolicName() + "@" + bundle.version(), extensions);
            // the builder keeps catalog.json's version from here, so the signer counts on from the served one
            Files.copy(root.resolve(RepositoryLayout.CATALOG), out.resolve(RepositoryLayout.CATALOG));
            new RepositoryBuilder(current.name())
                    .build(jars, (bsn, version) -> known.getOrDefault(bsn + "@" + version, List.of()), out);
            Catalog signed = new CatalogSigner(settings.signingKeys()).sign(out, settings.validity(), Instant.now());
            Files.createDirectories(root.resolve(RepositoryLayout.JARS));
            moveIn(root, out, List.of(jarPath, RepositoryLayout.INDEX, RepositoryLayout.CATALOG,
                    RepositoryLayout.SIGNATURE));
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

    /**
     * Renames the staged files over the repository's, in order. If one rename fails, the files already moved get
     * their old bytes back (or are removed if they are new), newest first, and the failure is thrown.
     */
    private static void moveIn(Path root, Path out, List<String> paths) throws IOException {
        Map<String, byte[]> old = new LinkedHashMap<>();
        for (String path : paths) {
            Path target = root.resolve(path);
            old.put(path, Files.isRegularFile(target) ? Files.readAllBytes(target) : null);
        }
        List<String> moved = new ArrayList<>();
        try {
            for (String path : paths) {
                Files.move(out.resolve(path), root.resolve(path), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                moved.add(path);
            }
        } catch (IOException | RuntimeException e) {
            List<String> notRestored = new ArrayList<>();
            for (int i = moved.size() - 1; i >= 0; i--) {
                String path = moved.get(i);
                try {
                    byte[] bytes = old.get(path);
                    if (bytes == null) {
                        Files.deleteIfExists(root.resolve(path));
                    } else {
                        RepositoryFiles.writeAtomically(root.resolve(path), bytes);
                    }
                } catch (IOException | RuntimeException again) {
                    notRestored.add(path);
                }
            }
            throw new IOException("moving " + paths.get(moved.size()) + " in failed (" + e.getMessage() + "); "
                    + (notRestored.isEmpty() ? "the repository is as it was"
                            : "could not put back " + String.join(", ", notRestored)), e);
        }
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
