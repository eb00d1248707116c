package org.recursa.plugins.universal;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link UniversalArchitecture}. */
@RecursaModule
public final class UniversalModule extends PluginModule {

    /** Called by the host's extender. */
    public UniversalModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(UniversalArchitecture.class);
    }
}
