package org.recursa.repository;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.OSGiHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * A bundle's catalog entry from its manifest: the headers its bnd.bnd sets (Bundle-Name, Bundle-Description,
 * Bundle-License, Bundle-DocURL, Bundle-Developers or Bundle-Vendor, Recursa-Keywords, Recursa-Paper) and, from its
 * Import-Package, the Recursa API range it needs.
 */
final class BundleMetadata {

    /** The API package whose import range is a plugin's {@code api}. */
    static final String API_PACKAGE = "org.recursa.api";

    private BundleMetadata() {
    }

    /** The symbolic name, without directives. */
    static String symbolicName(Manifest manifest) {
        String value = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (value == null || value.isBlank()) {
            return null;
        }
        return OSGiHeader.parseHeader(value).keySet().iterator().next();
    }

    static String version(Manifest manifest) {
        String value = manifest.getMainAttributes().getValue("Bundle-Version");
        return value == null ? "0.0.0" : value.trim();
    }

    /** The entry, without the file facts (path, hash, size) and the cross-bundle {@code requires}. */
    static Catalog.Plugin describe(Manifest manifest, List<Catalog.Extension> extensions) {
        Attributes main = manifest.getMainAttributes();
        String description = main.getValue("Bundle-Description");
        return new Catalog.Plugin(symbolicName(manifest), version(manifest), null, null, 0,
                main.getValue("Bundle-Name"), summary(description), description, authors(main),
                license(main.getValue("Bundle-License")), main.getValue("Bundle-DocURL"),
                list(main.getValue("Recursa-Keywords")), paper(main.getValue("Recursa-Paper")),
                apiRange(main.getValue("Import-Package")), extensions, List.of());
    }

    /**
     * The first sentence (or the whole text): up to the first period outside parentheses that a space and a capital
     * letter follow, so that "(Geiping et al. 2025)" or "e.g. a tree" does not end it.
     */
    static String summary(String description) {
        if (description == null) {
            return null;
        }
        String text = description.strip();
        int depth = 0;
        for (int i = 0; i + 2 < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == '.' && depth == 0 && text.charAt(i + 1) == ' '
                    && Character.isUpperCase(text.charAt(i + 2))) {
                return text.substring(0, i + 1);
            }
        }
        return text;
    }

    /** Bundle-License's first licence name, e.g. {@code Apache-2.0}. */
    static String license(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        return OSGiHeader.parseHeader(header).keySet().iterator().next();
    }

    static List<String> authors(Attributes main) {
        String developers = main.getValue("Bundle-Developers");
        if (developers != null && !developers.isBlank()) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, Attrs> e : OSGiHeader.parseHeader(developers).entrySet()) {
                String name = e.getValue().get("name");
                names.add(name != null ? name : key(e.getKey()));
            }
            return names;
        }
        String vendor = main.getValue("Bundle-Vendor");
        return vendor == null || vendor.isBlank() ? List.of() : List.of(vendor.strip());
    }

    /** {@code title;url=...}, the title quoted when it has a comma or semicolon. */
    static Catalog.Paper paper(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Map.Entry<String, Attrs> first = OSGiHeader.parseHeader(header).entrySet().iterator().next();
        return new Catalog.Paper(key(first.getKey()), first.getValue().get("url"));
    }

    static List<String> list(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String apiRange(String importPackage) {
        if (importPackage == null) {
            return null;
        }
        Attrs attrs = OSGiHeader.parseHeader(importPackage).get(API_PACKAGE);
        return attrs == null ? null : attrs.get("version");
    }

    /** The packages a manifest header (Import-Package, Export-Package) names. */
    static List<String> packages(Manifest manifest, String header) {
        String value = manifest.getMainAttributes().getValue(header);
        if (value == null) {
            return List.of();
        }
        return OSGiHeader.parseHeader(value).keySet().stream().map(BundleMetadata::key).toList();
    }

    /** A header clause's key without the '~' markers bnd appends to repeated keys. */
    static String key(String clause) {
        int end = clause.length();
        while (end > 0 && clause.charAt(end - 1) == '~') {
            end--;
        }
        return clause.substring(0, end);
    }
}
