package org.recursa.plugins.loopformer;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link LoopformerArchitecture}. */
@RecursaModule
public final class LoopformerModule extends PluginModule {

    /** Called by the host's extender. */
    public LoopformerModule() {
    }

    @Override
    protected void configureExtensions() {
        architecture(LoopformerArchitecture.class);
    }
}
