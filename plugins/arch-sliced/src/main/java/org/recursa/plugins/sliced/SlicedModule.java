package org.recursa.plugins.sliced;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link SlicedArchitecture}. */
@RecursaModule
public final class SlicedModule extends PluginModule {

    /** Called by the host's extender. */
    public SlicedModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(SlicedArchitecture.class);
    }
}
