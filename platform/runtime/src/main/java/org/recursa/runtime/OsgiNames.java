package org.recursa.runtime;

import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * The OSGi grammars (Core R8, 1.3.2) for the two manifest values the plugin store turns into file names:
 * {@code symbolic-name ::= token ( '.' token )*} with {@code token ::= ( alphanum | '_' | '-' )+}, and
 * {@code version ::= major ( '.' minor ( '.' micro ( '.' qualifier )? )? )?}. Checked strictly, because a
 * name that passes can never contain a path separator or a {@code ..}, so the store's file name cannot
 * escape {@code plugins/}.
 */
final class OsgiNames {

    /** What a valid symbolic name looks like, for error messages. */
    static final String SYMBOLIC_NAME_HINT =
            "dot-separated tokens of letters, digits, '_' and '-', e.g. com.example.my-plugin";

    /** What a valid version looks like, for error messages. */
    static final String VERSION_HINT = "major[.minor[.micro[.qualifier]]]: numbers, and a qualifier of letters, "
            + "digits, '_' and '-', e.g. 1.0.0 or 1.2.0.beta-1";

    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+(\\.\\d+(\\.[A-Za-z0-9_-]+)?)?)?");

    private OsgiNames() {
    }

    static boolean isSymbolicName(String name) {
        return name != null && SYMBOLIC_NAME.matcher(name).matches();
    }

    /**
     * The canonical form of a version ({@code 1} becomes {@code 1.0.0}), or null if it is outside the grammar
     * or a number is out of range.
     */
    static String canonicalVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            return null;
        }
        try {
            return Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
