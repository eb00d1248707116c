package org.recursa.catalog;

import java.util.List;
import org.recursa.repository.Catalog;

/**
 * What {@code /api/plugins/{id}} answers: a bundle's newest metadata, every version the served repositories hold
 * (newest first, each with its URL on this server), what it requires and what requires it, and how to install it.
 */
record PluginDetail(String bundle, String name, String summary, String description, List<String> authors,
                    String license, String homepage, List<String> keywords, Catalog.Paper paper, List<String> kinds,
                    List<Catalog.Extension> extensions, String install, List<Version> versions,
                    List<Dependency> requires, List<String> requiredBy) {

    /** One version of the bundle and where to download it. */
    record Version(String version, String repository, String url, String sha256, long size, String api,
                   List<String> requires) {
    }

    /** A bundle the newest version requires; {@code name} is null when no served repository holds it. */
    record Dependency(String bundle, String name, boolean available) {
    }

    static PluginDetail of(CatalogEntry entry, String requestedId, ServedCatalog catalog) {
        Catalog.Plugin latest = entry.latest();
        List<Version> versions = entry.versions().stream().map(located -> new Version(located.plugin().version(),
                located.repository(), "/repo/" + located.repository() + "/" + located.plugin().path(),
                located.plugin().sha256(), located.plugin().size(), located.plugin().api(),
                located.plugin().requires())).toList();
        List<Dependency> requires = latest.requires().stream().map(bundle -> catalog.bundle(bundle)
                .map(found -> new Dependency(bundle, found.latest().name(), true))
                .orElse(new Dependency(bundle, null, false))).toList();
        List<String> requiredBy = catalog.entries().stream()
                .filter(other -> other.latest().requires().contains(entry.bundle()))
                .map(CatalogEntry::bundle).toList();
        return new PluginDetail(latest.bundle(), latest.name(), latest.summary(), latest.description(),
                latest.authors(), latest.license(), latest.homepage(), latest.keywords(), latest.paper(),
                List.copyOf(entry.kinds()), latest.extensions(), "recursa plugin install " + requestedId, versions,
                requires, requiredBy);
    }
}
