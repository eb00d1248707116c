package org.recursa.plugins.recurrentdepth;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link RecurrentDepthArchitecture}. */
@RecursaModule
public final class RecurrentDepthModule extends PluginModule {

    /** Called by the host's extender. */
    public RecurrentDepthModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(RecurrentDepthArchitecture.class);
    }
}
