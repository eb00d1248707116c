package org.recursa.runtime;

import org.osgi.framework.Bundle;

/**
 * The identity of a bundle as users see it, detached from the live {@link Bundle} so that holding it keeps
 * no class loader alive.
 *
 * @param id           the framework's bundle id (valid for this process only)
 * @param symbolicName {@code Bundle-SymbolicName}
 * @param version      {@code Bundle-Version}
 */
public record BundleRef(long id, String symbolicName, String version) {

    /** The reference of a live bundle. */
    public static BundleRef of(Bundle bundle) {
        return new BundleRef(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString());
    }

    @Override
    public String toString() {
        return symbolicName + " " + version;
    }
}
