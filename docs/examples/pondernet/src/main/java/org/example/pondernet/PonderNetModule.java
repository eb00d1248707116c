package org.example.pondernet;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link PonderNetArchitecture}. */
@RecursaModule
public final class PonderNetModule extends PluginModule {

    /** Called by the host's extender. */
    public PonderNetModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(PonderNetArchitecture.class);
    }
}
