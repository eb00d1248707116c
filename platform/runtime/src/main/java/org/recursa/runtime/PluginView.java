package org.recursa.runtime;

import java.util.List;
import java.util.Optional;

/**
 * An installed plugin bundle as {@code recursa plugin list/info} shows it.
 *
 * @param symbolicName its Bundle-SymbolicName
 * @param version      its Bundle-Version
 * @param state        {@code active}, {@code resolved}, {@code installed} or {@code failed}
 * @param file         the jar in the plugin store
 * @param sha256       the jar's SHA-256
 * @param origin       {@code distribution} or {@code user}
 * @param installedAt  when it was installed (ISO-8601)
 * @param extensions   the extensions it offers now
 * @param problem      why it is not working, if it is not
 */
public record PluginView(String symbolicName, String version, String state, String file, String sha256,
                         String origin, String installedAt, List<ExtensionEntry> extensions,
                         Optional<String> problem) {
}
