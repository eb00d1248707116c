package org.recursa.plugins.greedy;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link GreedySampler}. */
@RecursaModule
public final class GreedyModule extends PluginModule {

    /** Called by the host's extender. */
    public GreedyModule() {
    }

    @Override
    protected void configureExtensions() {
        sampler(GreedySampler.class);
    }
}
