package org.recursa.catalog;

import java.util.Comparator;

/** OSGi version order (major.minor.micro numerically, then the qualifier as a string) for listing versions. */
final class BundleVersion {

    static final Comparator<String> ORDER = BundleVersion::compare;

    private BundleVersion() {
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.", 4);
        String[] y = b.split("\\.", 4);
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(number(x, i), number(y, i));
            if (c != 0) {
                return c;
            }
        }
        return (x.length > 3 ? x[3] : "").compareTo(y.length > 3 ? y[3] : "");
    }

    private static long number(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
            return -1; // not an OSGi version: sorts before every real one
        }
    }
}
