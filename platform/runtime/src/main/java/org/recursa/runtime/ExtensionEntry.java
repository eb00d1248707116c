package org.recursa.runtime;

import org.recursa.api.Extension;
import org.recursa.api.ExtensionKind;

/**
 * One extension in the registry: what it is and which bundle offers it.
 *
 * @param kind      its kind
 * @param extension the instance, created by the bundle's injector
 * @param bundle    the bundle that offers it
 */
public record ExtensionEntry(ExtensionKind kind, Extension extension, BundleRef bundle) {

    /** The extension's id. */
    public String id() {
        return extension.id();
    }

    /** The extension's one-line description. */
    public String description() {
        return extension.description();
    }
}
