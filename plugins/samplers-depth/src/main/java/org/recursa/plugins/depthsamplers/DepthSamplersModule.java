package org.recursa.plugins.depthsamplers;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the samplers that decide each token's depth: early exit, diffusion forcing, depth-wise batching. */
@RecursaModule
public final class DepthSamplersModule extends PluginModule {

    /** Called by the host's extender. */
    public DepthSamplersModule() {
    }

    @Override
    protected void configureExtensions() {
        sampler(EarlyExitSampler.class);
        sampler(DiffusionForcingSampler.class);
        sampler(DepthwiseBatchingSampler.class);
    }
}
