package org.recursa.index.filter;

import java.util.List;
import java.util.Optional;

/** What a key's prefix says it names: a run's metric, parameter, tag or attribute, or an artifact field (no prefix). */
public enum KeyScope {
    /** {@code metrics.<name>}: numbers. */
    METRICS("metrics", List.of("metrics", "metric")),
    /** {@code params.<name>}: strings. */
    PARAMS("params", List.of("params", "param", "parameters")),
    /** {@code tags.<name>}: strings. */
    TAGS("tags", List.of("tags", "tag")),
    /** {@code attributes.<name>}: a fixed set of names, each a string or a number. */
    ATTRIBUTES("attributes", List.of("attributes", "attribute", "attr")),
    /** A key without prefix: a field of an artifact document, typed by the literal it is compared with. */
    BARE("", List.of());

    /** Every accepted spelling of every prefix, for error messages. */
    static final String VALID_PREFIXES = "metrics, params, tags, attributes (also metric, param, parameters, tag,"
            + " attribute, attr; each may follow run.)";

    private final String prefix;
    private final List<String> spellings;

    KeyScope(String prefix, List<String> spellings) {
        this.prefix = prefix;
        this.spellings = spellings;
    }

    /** The canonical prefix without the dot ({@code metrics}), empty for {@link #BARE}. */
    public String prefix() {
        return prefix;
    }

    /** The scope a prefix spelling ({@code metric}, {@code params}, {@code attr}, ...) names; case-sensitive. */
    public static Optional<KeyScope> ofPrefix(String spelling) {
        for (KeyScope scope : values()) {
            if (scope.spellings.contains(spelling)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
