package org.recursa.catalog;

import java.util.Map;

/** The files of the web page at {@code /} (static HTML, CSS and JavaScript; no build step) and their types. */
final class WebPage {

    static final Map<String, String> NAMES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "catalog.js", "text/javascript; charset=utf-8",
            "catalog.css", "text/css; charset=utf-8");

    private WebPage() {
    }
}
