package org.recursa.plugins.algorithmic;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the Universal Transformer algorithmic tasks reverse and addition ({@code copy} is its own bundle). */
@RecursaModule
public final class AlgorithmicModule extends PluginModule {

    /** Called by the host's extender. */
    public AlgorithmicModule() {
    }

    @Override
    protected void configureExtensions() {
        task(ReverseTask.class);
        task(AdditionTask.class);
    }
}
