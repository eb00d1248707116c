package org.recursa.plugins.identity;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link IdentityCompressor}. */
@RecursaModule
public final class IdentityModule extends PluginModule {

    /** Called by the host's extender. */
    public IdentityModule() {
    }

    @Override
    protected void configureExtensions() {
        compressor(IdentityCompressor.class);
    }
}
