package org.recursa.plugins.sample;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link SampleSampler}. */
@RecursaModule
public final class SampleModule extends PluginModule {

    /** Called by the host's extender. */
    public SampleModule() {
    }

    @Override
    protected void configureExtensions() {
        sampler(SampleSampler.class);
    }
}
