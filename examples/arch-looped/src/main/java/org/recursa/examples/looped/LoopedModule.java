package org.recursa.examples.looped;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link LoopedArchitecture}. */
@RecursaModule
public final class LoopedModule extends PluginModule {

    /** Called by the host's extender. */
    public LoopedModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(LoopedArchitecture.class);
    }
}
