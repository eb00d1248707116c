package org.recursa.runtime;

import java.util.List;

/**
 * One earlier installed set in the plugin history: what {@code recursa plugin rollback} returns to.
 *
 * @param at      when the change after it was made (ISO-8601)
 * @param reason  the command that changed it
 * @param bundles the bundles installed before that change, as {@code symbolic-name version}
 */
public record PluginSetRecord(String at, String reason, List<String> bundles) {

    public PluginSetRecord {
        bundles = List.copyOf(bundles);
    }
}
