package org.recursa.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.recursa.repository.Catalog;

/**
 * Search over verified catalogs on this machine: every word of the query must occur in an extension's id, kind or
 * description, or in its bundle's name, summary, description or keywords. Exact id matches come first. The catalog
 * server's {@code GET /api/search} is the ranked, typo-tolerant route for a hosted catalog; this one needs only the
 * signed catalog.json, so it works offline and against a mirror that is a plain directory.
 */
public final class CatalogSearch {

    /**
     * One extension found.
     *
     * @param kind    its kind, e.g. architecture
     * @param id      its id
     * @param catalog the catalog offering it
     * @param plugin  its bundle's entry
     */
    public record Hit(String kind, String id, String catalog, Catalog.Plugin plugin) {
    }

    private CatalogSearch() {
    }

    /**
     * @param query words, or blank for everything
     * @param kind  a kind label to keep, or null for all
     */
    public static List<Hit> search(List<VerifiedCatalog> catalogs, String query, String kind) {
        List<String> words = Stream.of(query.toLowerCase(Locale.ROOT).split("\\s+")).filter(w -> !w.isEmpty())
                .toList();
        List<Hit> hits = new ArrayList<>();
        for (VerifiedCatalog verified : catalogs) {
            for (Catalog.Plugin plugin : verified.catalog().plugins()) {
                String bundleText = String.join(" ", nonNull(plugin.bundle()), nonNull(plugin.name()),
                        nonNull(plugin.summary()), nonNull(plugin.description()), String.join(" ", plugin.keywords()));
                for (Catalog.Extension extension : plugin.extensions()) {
                    if (kind != null && !kind.equals(extension.kind())) {
                        continue;
                    }
                    String text = (bundleText + " " + nonNull(extension.id()) + " " + nonNull(extension.kind()) + " "
                            + nonNull(extension.description())).toLowerCase(Locale.ROOT);
                    if (words.stream().allMatch(text::contains)) {
                        hits.add(new Hit(extension.kind(), extension.id(), verified.catalog().name(), plugin));
                    }
                }
            }
        }
        String exact = query.strip().toLowerCase(Locale.ROOT);
        hits.sort(Comparator.comparing((Hit h) -> !h.id().toLowerCase(Locale.ROOT).equals(exact))
                .thenComparing(Hit::kind).thenComparing(Hit::id));
        return hits;
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
