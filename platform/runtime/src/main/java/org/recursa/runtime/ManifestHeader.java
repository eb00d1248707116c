package org.recursa.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses OSGi manifest headers such as {@code Export-Package} into clauses: names, attributes
 * ({@code key=value}) and directives ({@code key:=value}). Quoted values may contain commas and semicolons.
 */
public final class ManifestHeader {

    private ManifestHeader() {
    }

    /**
     * One clause of a header.
     *
     * @param names      the names before the first attribute (several packages may share a clause)
     * @param attributes attributes by key, unquoted
     * @param directives directives by key, unquoted
     */
    public record Clause(List<String> names, Map<String, String> attributes, Map<String, String> directives) {

        /** An attribute's value. */
        public Optional<String> attribute(String key) {
            return Optional.ofNullable(attributes.get(key));
        }
    }

    /** Splits a header into its clauses. */
    public static List<Clause> parse(String header) {
        List<Clause> clauses = new ArrayList<>();
        for (String clause : split(header, ',')) {
            if (clause.isBlank()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            Map<String, String> attributes = new LinkedHashMap<>();
            Map<String, String> directives = new LinkedHashMap<>();
            for (String part : split(clause, ';')) {
                String item = part.trim();
                int directive = item.indexOf(":=");
                int attribute = item.indexOf('=');
                if (directive > 0 && directive <= attribute) {
                    directives.put(item.substring(0, directive).trim(), unquote(item.substring(directive + 2)));
                } else if (attribute > 0) {
                    attributes.put(item.substring(0, attribute).trim(), unquote(item.substring(attribute + 1)));
                } else if (!item.isEmpty()) {
                    names.add(item);
                }
            }
            clauses.add(new Clause(List.copyOf(names), Map.copyOf(attributes), Map.copyOf(directives)));
        }
        return clauses;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        String trimmed = value.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }
}
