package org.recursa.runtime;

/**
 * What {@link PluginStore#update} did: the plugin as it was before and as it is now.
 *
 * @param before the replaced plugin (its version, file and extensions before the update)
 * @param after  the plugin now installed and started
 */
public record PluginUpdate(PluginView before, PluginView after) {
}
