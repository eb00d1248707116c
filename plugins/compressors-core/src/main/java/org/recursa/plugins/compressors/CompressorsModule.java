package org.recursa.plugins.compressors;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link DepthCompressor}, the {@link Int8Compressor} and the {@link PruneCompressor}. */
@RecursaModule
public final class CompressorsModule extends PluginModule {

    /** Called by the host's extender. */
    public CompressorsModule() {
    }

    @Override
    protected void configureExtensions() {
        compressor(DepthCompressor.class);
        compressor(Int8Compressor.class);
        compressor(PruneCompressor.class);
    }
}
