package org.recursa.runtime;

/**
 * A bundle the host has started, with the SHA-256 of the jar bytes the framework installed it from: what a run's
 * provenance records about the code it ran.
 *
 * @param bundle its identity
 * @param sha256 hex SHA-256 of the bytes handed to the framework, or null for a bundle the plugin store did not
 *               install (one installed directly through the framework)
 */
public record StartedBundle(BundleRef bundle, String sha256) {
}
