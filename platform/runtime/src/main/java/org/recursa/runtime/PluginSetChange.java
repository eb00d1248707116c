package org.recursa.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * A change to the installed plugins that {@link PluginStore#apply} makes as one step: every bundle named in
 * {@code remove} leaves, every jar in {@code add} arrives (a new version of a removed bundle replaces it), and either
 * all of it happens or none.
 *
 * @param reason what the history records as the command, e.g. {@code install mor}; null records no history
 * @param remove symbolic names of installed bundles to remove
 * @param add    jars to install, dependencies first
 */
public record PluginSetChange(String reason, List<String> remove, List<Addition> add) {

    public PluginSetChange {
        remove = List.copyOf(remove);
        add = List.copyOf(add);
    }

    /**
     * A jar to install.
     *
     * @param jar        the bundle
     * @param dependency true if it is installed only because another bundle needs it: uninstalling the last bundle
     *                   that needs it removes it too
     */
    public record Addition(Path jar, boolean dependency) {
    }
}
