package org.recursa.tck.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The extensions the distribution's own bundles offer, as listed at build time by
 * {@code FirstPartyExtensionsGenerator}: a third-party bundle must not take one of their ids, or it could never be
 * installed beside them.
 */
final class FirstPartyExtensions {

    static final String RESOURCE = "/META-INF/recursa/first-party-extensions.txt";

    /**
     * One first-party extension.
     *
     * @param kind   its kind's label, e.g. {@code task}
     * @param id     its id
     * @param bundle the symbolic name of the bundle offering it
     */
    record Entry(String kind, String id, String bundle) {
    }

    private FirstPartyExtensions() {
    }

    /** The first-party extension of {@code kind} with {@code id}, if there is one. */
    static Optional<Entry> find(String kind, String id) {
        return all().stream().filter(e -> e.kind().equals(kind) && e.id().equals(id)).findFirst();
    }

    static List<Entry> all() {
        try (InputStream in = FirstPartyExtensions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("recursa-tck-bundle was built without " + RESOURCE
                        + "; rebuild it with 'mvn package'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.split("\\s+", 4))
                    .map(parts -> new Entry(parts[0], parts[1], parts[2]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
