package org.recursa.cli.benchchain.a;

import org.recursa.api.plugin.PluginModule;

/** The top of the benchmark's chain: plugin bundle A, importing B's package, offers {@link ChainTask}. */
public final class ChainModule extends PluginModule {
    @Override
    protected void configureExtensions() {
        task(ChainTask.class);
    }
}
