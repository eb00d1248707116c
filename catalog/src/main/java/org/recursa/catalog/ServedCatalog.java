package org.recursa.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.recursa.repository.Catalog;

/** The bundles of all served repositories, grouped by symbolic name, and lookup by bundle or extension id. */
final class ServedCatalog {

    private final Map<String, CatalogEntry> byBundle;
    private final Map<String, List<CatalogEntry>> byExtensionId = new HashMap<>();

    private ServedCatalog(Map<String, CatalogEntry> byBundle) {
        this.byBundle = byBundle;
        for (CatalogEntry entry : byBundle.values()) {
            for (String id : entry.extensionIds()) {
                byExtensionId.computeIfAbsent(id, k -> new ArrayList<>()).add(entry);
            }
        }
    }

    static ServedCatalog of(List<Repository> repositories) {
        Map<String, List<CatalogEntry.Located>> versions = new TreeMap<>();
        for (Repository repository : repositories) {
            for (Catalog.Plugin plugin : repository.catalog().plugins()) {
                versions.computeIfAbsent(plugin.bundle(), b -> new ArrayList<>())
                        .add(new CatalogEntry.Located(repository.name(), plugin));
            }
        }
        Map<String, CatalogEntry> byBundle = new LinkedHashMap<>();
        versions.forEach((bundle, located) -> {
            located.sort((a, b) -> BundleVersion.compare(b.plugin().version(), a.plugin().version()));
            byBundle.put(bundle, new CatalogEntry(located.get(0).plugin(), List.copyOf(located)));
        });
        return new ServedCatalog(byBundle);
    }

    Collection<CatalogEntry> entries() {
        return byBundle.values();
    }

    Optional<CatalogEntry> bundle(String bundle) {
        return Optional.ofNullable(byBundle.get(bundle));
    }

    /** The bundles offering an extension with this id (more than one only if two bundles claim the same id). */
    List<CatalogEntry> providersOf(String extensionId) {
        return byExtensionId.getOrDefault(extensionId, List.of());
    }
}
