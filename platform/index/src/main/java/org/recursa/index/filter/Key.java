package org.recursa.index.filter;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The left side of a comparison: a scope, whether it was written after {@code run.} (an artifact filter
 * reaching its run), and a name.
 *
 * @param scope the scope its prefix names ({@link KeyScope#BARE} without prefix)
 * @param run   true for {@code run.metrics.x} and the like; never with {@link KeyScope#BARE}
 * @param name  the name after the prefix, unquoted; not empty
 */
public record Key(KeyScope scope, boolean run, String name) {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-./]*");
    private static final Pattern PLAIN_SUFFIX = Pattern.compile("[A-Za-z0-9_\\-./]+");
    /** Bare names that an unquoted key cannot be: keywords (of filters and order-bys) and prefixes. */
    private static final Set<String> RESERVED = Set.of("and", "or", "not", "in", "like", "ilike", "is", "null", "asc", "desc",
            "metrics", "metric",
            "params", "param", "parameters", "tags", "tag", "attributes", "attribute", "attr");

    /** Checks the components. */
    public Key {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a key name must not be empty");
        }
        if (run && scope == KeyScope.BARE) {
            throw new IllegalArgumentException("run. must be followed by metrics, params, tags or attributes");
        }
    }

    /** A key without prefix (an artifact field such as {@code carry_chain}). */
    public static Key bare(String name) {
        return new Key(KeyScope.BARE, false, name);
    }

    /** A key with a prefix, without {@code run.}. */
    public static Key of(KeyScope scope, String name) {
        return new Key(scope, false, name);
    }

    /** The same key after {@code run.}. */
    public Key underRun() {
        return new Key(scope, true, name);
    }

    /**
     * The key as {@link org.recursa.index.IndexFields} stores it: {@code metrics.acc}, {@code run.params.arch},
     * {@code carry_chain}; names are never quoted here.
     */
    public String canonical() {
        return scope == KeyScope.BARE ? name : (run ? "run." : "") + scope.prefix() + "." + name;
    }

    /** The key as filter text that parses back to this key, quoting the name with backticks where needed. */
    @Override
    public String toString() {
        if (scope == KeyScope.BARE) {
            boolean plain = PLAIN_NAME.matcher(name).matches() && name.indexOf('.') < 0
                    && !RESERVED.contains(name.toLowerCase(Locale.ROOT));
            return plain ? name : quote(name);
        }
        String prefix = (run ? "run." : "") + scope.prefix() + ".";
        return prefix + (PLAIN_SUFFIX.matcher(name).matches() ? name : quote(name));
    }

    private static String quote(String name) {
        return '`' + name.replace("`", "``") + '`';
    }
}
