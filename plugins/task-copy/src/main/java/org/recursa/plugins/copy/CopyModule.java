package org.recursa.plugins.copy;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the {@link CopyTask}. */
@RecursaModule
public final class CopyModule extends PluginModule {

    /** Called by the host's extender. */
    public CopyModule() {
    }

    @Override
    protected void configureExtensions() {
        task(CopyTask.class);
    }
}
