package org.recursa.client;

/** What the user named is offered by no configured catalog, or by several bundles: a usage error. */
public final class PluginNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginNotFoundException(String message) {
        super(message);
    }
}
