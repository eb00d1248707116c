package org.recursa.repository;

import aQute.bnd.osgi.repository.XMLResourceGenerator;
import aQute.bnd.osgi.resource.ResourceBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.resource.Resource;

/**
 * Builds a repository directory from bundle jars: copies them to {@code jars/<bsn>-<version>.jar} (a jar already
 * there, as when the bundle directory is the output's {@code jars/}, is indexed where it is), writes the OSGi R7
 * index with bnd (each resource's osgi.content url relative, {@code jars/<file>}) and an unsigned catalog.json whose
 * entries come from the manifests and the given extension lists. A catalog.json already in the output keeps its
 * version, so the next signing still counts up.
 */
public final class RepositoryBuilder {

    private final String name;

    /** @param name the repository's name, e.g. {@code recursa-first-party} */
    public RepositoryBuilder(String name) {
        this.name = name;
    }

    /**
     * @param bundleDir  a directory of bundle jars (files not ending in .jar are ignored)
     * @param extensions per bundle symbolic name, the extensions it registers
     * @param out        the repository directory to write
     * @return the catalog written (version kept from an earlier one, not signed)
     */
    public Catalog build(Path bundleDir, Map<String, List<Catalog.Extension>> extensions, Path out) {
        return build(bundleDir, (bsn, version) -> extensions.getOrDefault(bsn, List.of()), out);
    }

    /**
     * As {@link #build(Path, Map, Path)}, the extensions looked up per bundle version: a repository that gains a
     * version keeps what it listed for the older ones.
     *
     * @param extensions given a bundle's symbolic name and version, the extensions it registers
     */
    public Catalog build(Path bundleDir, BiFunction<String, String, List<Catalog.Extension>> extensions, Path out) {
        try {
            long previousVersion = 0;
            if (Files.isRegularFile(out.resolve(RepositoryLayout.CATALOG))) {
                previousVersion = CatalogJson.read(out).version();
            }
            Path jars = out.resolve(RepositoryLayout.JARS);
            Files.createDirectories(jars);
            List<Path> sources;
            try (Stream<Path> files = Files.list(bundleDir)) {
                sources = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            }
            if (sources.isEmpty()) {
                throw new CatalogException(bundleDir + ": no bundle jars");
            }
            List<Entry> entries = new ArrayList<>();
            for (Path source : sources) {
                Manifest manifest;
                try (JarFile jar = new JarFile(source.toFile())) {
                    manifest = jar.getManifest();
                }
                String bsn = manifest == null ? null : BundleMetadata.symbolicName(manifest);
                if (bsn == null) {
                    throw new CatalogException(source + ": not an OSGi bundle (no Bundle-SymbolicName)");
                }
                String path = RepositoryLayout.jarPath(bsn, BundleMetadata.version(manifest));
                Path target = RepositoryFiles.resolveInside(out, path);
                if (!Files.exists(target) || !Files.isSameFile(source, target)) {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
                entries.add(new Entry(manifest, path, target,
                        BundleMetadata.describe(manifest, extensions.apply(bsn, BundleMetadata.version(manifest)))));
            }
            Path index = out.resolve(RepositoryLayout.INDEX);
            writeIndex(entries, index);
            Catalog catalog = new Catalog(Catalog.FORMAT, name, previousVersion, null,
                    new Catalog.Index(RepositoryLayout.INDEX, RepositoryFiles.sha256(index)), plugins(entries));
            RepositoryFiles.writeAtomically(out.resolve(RepositoryLayout.CATALOG), CatalogJson.bytes(catalog));
            return catalog;
        } catch (IOException e) {
            throw new CatalogException("cannot build the repository " + out + ": " + e.getMessage(), e);
        }
    }

    private void writeIndex(List<Entry> entries, Path index) {
        List<Resource> resources = new ArrayList<>();
        for (Entry entry : entries) {
            ResourceBuilder builder = new ResourceBuilder();
            try {
                builder.addFile(entry.file().toFile(), new URI(entry.path()));
            } catch (Exception e) {
                throw new CatalogException(entry.path() + ": bnd cannot index it: " + e.getMessage(), e);
            }
            resources.add(builder.build());
        }
        try {
            // increment after name(): name() sets it to the clock; the catalog's version is what counts up.
            new XMLResourceGenerator().name(name).increment(0).indent(2).resources(resources).save(index.toFile());
        } catch (IOException e) {
            throw new CatalogException("cannot write " + index + ": " + e.getMessage(), e);
        }
    }

    /** The entries with their file facts and the repository bundles whose exported packages each imports. */
    private static List<Catalog.Plugin> plugins(List<Entry> entries) {
        Map<String, String> exporters = new HashMap<>();
        for (Entry entry : entries) {
            for (String pkg : BundleMetadata.packages(entry.manifest(), "Export-Package")) {
                exporters.putIfAbsent(pkg, entry.plugin().bundle());
            }
        }
        List<Catalog.Plugin> plugins = new ArrayList<>();
        for (Entry entry : entries) {
            Set<String> requires = new LinkedHashSet<>();
            for (String pkg : BundleMetadata.packages(entry.manifest(), "Import-Package")) {
                String exporter = exporters.get(pkg);
                if (exporter != null && !exporter.equals(entry.plugin().bundle())) {
                    requires.add(exporter);
                }
            }
            Catalog.Plugin p = entry.plugin();
            long size;
            try {
                size = Files.size(entry.file());
            } catch (IOException e) {
                throw new CatalogException(entry.path() + ": " + e.getMessage(), e);
            }
            plugins.add(new Catalog.Plugin(p.bundle(), p.version(), entry.path(), RepositoryFiles.sha256(entry.file()),
                    size, p.name(), p.summary(), p.description(), p.authors(), p.license(), p.homepage(),
                    p.keywords(), p.paper(), p.api(), p.extensions(), List.copyOf(requires)));
        }
        return plugins;
    }

    private record Entry(Manifest manifest, String path, Path file, Catalog.Plugin plugin) {
    }
}
