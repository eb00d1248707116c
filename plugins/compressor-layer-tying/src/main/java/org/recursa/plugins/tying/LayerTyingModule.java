package org.recursa.plugins.tying;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link LayerTyingCompressor}. */
@RecursaModule
public final class LayerTyingModule extends PluginModule {

    /** Called by the host's extender. */
    public LayerTyingModule() {
    }

    @Override
    protected void configureExtensions() {
        compressor(LayerTyingCompressor.class);
    }
}
