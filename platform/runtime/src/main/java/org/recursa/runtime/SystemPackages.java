package org.recursa.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The packages the system bundle exports to plugins (API, Guice, jakarta.inject, SLF4J, ND4J, JavaCPP),
 * as generated at build time by {@code SystemPackagesGenerator} into the runtime jar.
 */
final class SystemPackages {

    static final String RESOURCE = "/META-INF/recursa/system-packages.txt";

    private SystemPackages() {
    }

    /** The value for {@code org.osgi.framework.system.packages.extra}. */
    static String extra() {
        return String.join(",", clauses());
    }

    /** One {@code Export-Package} clause per exported package. */
    static List<String> clauses() {
        try (InputStream in = SystemPackages.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the runtime was built without " + RESOURCE
                        + "; rebuild it with 'mvn package'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
