package org.recursa.plugins.relaxed;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link RelaxedArchitecture}. */
@RecursaModule
public final class RelaxedModule extends PluginModule {

    /** Called by the host's extender. */
    public RelaxedModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(RelaxedArchitecture.class);
    }
}
