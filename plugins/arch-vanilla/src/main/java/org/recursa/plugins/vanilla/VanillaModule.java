package org.recursa.plugins.vanilla;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link VanillaArchitecture}. */
@RecursaModule
public final class VanillaModule extends PluginModule {

    /** Called by the host's extender. */
    public VanillaModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(VanillaArchitecture.class);
    }
}
