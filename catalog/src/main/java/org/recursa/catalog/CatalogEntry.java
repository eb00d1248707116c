package org.recursa.catalog;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.recursa.repository.Catalog;

/**
 * A bundle as the catalog presents it: the metadata of its newest version, and every version the served
 * repositories hold (newest first), each with the repository it comes from.
 */
record CatalogEntry(Catalog.Plugin latest, List<Located> versions) {

    /** A bundle version and the repository that holds it. */
    record Located(String repository, Catalog.Plugin plugin) {
    }

    String bundle() {
        return latest.bundle();
    }

    Set<String> kinds() {
        Set<String> kinds = new LinkedHashSet<>();
        latest.extensions().forEach(e -> kinds.add(e.kind()));
        return kinds;
    }

    List<String> extensionIds() {
        return latest.extensions().stream().map(Catalog.Extension::id).toList();
    }
}
