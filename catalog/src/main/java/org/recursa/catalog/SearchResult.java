package org.recursa.catalog;

import java.util.List;
import java.util.Map;

/** What {@code /api/search} answers: the total, the page, its hits and the counts by kind, license and author. */
record SearchResult(long total, int page, int pageSize, List<Hit> hits, Map<String, Map<String, Integer>> facets) {

    /** One plugin (the newest version of a bundle) that matched. */
    record Hit(String bundle, String version, String name, String summary, List<String> kinds,
               List<String> extensions, String license, float score) {
    }
}
