package org.recursa.plugins.beam;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link BeamSampler}. */
@RecursaModule
public final class BeamModule extends PluginModule {

    /** Called by the host's extender. */
    public BeamModule() {
    }

    @Override
    protected void configureExtensions() {
        sampler(BeamSampler.class);
    }
}
