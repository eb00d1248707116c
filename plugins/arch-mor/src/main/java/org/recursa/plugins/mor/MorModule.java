package org.recursa.plugins.mor;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link MorArchitecture}. */
@RecursaModule
public final class MorModule extends PluginModule {

    /** Called by the host's extender. */
    public MorModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(MorArchitecture.class);
    }
}
