package org.recursa.runtime;

import java.util.List;

/**
 * What {@link PluginStore#apply} changed. A bundle in both lists was replaced by another version.
 *
 * @param removed the plugins as they were before they left
 * @param added   the plugins that arrived, as installed now
 */
public record PluginSetResult(List<PluginView> removed, List<PluginView> added) {

    public PluginSetResult {
        removed = List.copyOf(removed);
        added = List.copyOf(added);
    }
}
