package org.recursa.catalog;

import java.util.Comparator;
import org.osgi.framework.Version;

/**
 * OSGi version order ({@link Version}: major.minor.micro numerically, then the qualifier) for listing versions. A
 * version that does not parse sorts before every real one, and such versions among themselves as strings.
 */
final class BundleVersion {

    static final Comparator<String> ORDER = BundleVersion::compare;

    private BundleVersion() {
    }

    static int compare(String a, String b) {
        Version x = parse(a);
        Version y = parse(b);
        if (x == null || y == null) {
            return x == y ? a.compareTo(b) : x == null ? -1 : 1;
        }
        return x.compareTo(y);
    }

    private static Version parse(String version) {
        try {
            return Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
