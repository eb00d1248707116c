package org.recursa.runtime.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.runtime.UsageException;

/**
 * Sends each {@code --set key=value} to the component that owns the key: {@code train}, {@code arch},
 * {@code task} or {@code sampler}. A prefixed key ({@code arch.d_model}) goes where it says; a bare key goes to
 * the one component that has it, and is a {@link UsageException} naming the choices when none or several do.
 */
final class SettingRouter {

    private final Map<String, ConfigSchema> schemas;

    /** @param schemas component name to schema, in the order used for error messages */
    SettingRouter(Map<String, ConfigSchema> schemas) {
        this.schemas = schemas;
    }

    /** Component name to its overrides (every component present, possibly empty). */
    Map<String, Map<String, String>> route(Map<String, String> settings) {
        Map<String, Map<String, String>> routed = new LinkedHashMap<>();
        schemas.keySet().forEach(component -> routed.put(component, new LinkedHashMap<>()));
        new java.util.TreeMap<>(settings).forEach((key, value) -> {
            String component = owner(key);
            String bare = key.startsWith(component + ".") ? key.substring(component.length() + 1) : key;
            routed.get(component).put(bare, value);
        });
        return routed;
    }

    private String owner(String key) {
        int dot = key.indexOf('.');
        if (dot > 0 && schemas.containsKey(key.substring(0, dot))) {
            String component = key.substring(0, dot);
            String bare = key.substring(dot + 1);
            if (!has(component, bare)) {
                throw new UsageException("unknown setting '" + key + "'; " + component + " settings: "
                        + String.join(", ", keys(component)));
            }
            return component;
        }
        List<String> owners = new ArrayList<>();
        schemas.keySet().stream().filter(component -> has(component, key)).forEach(owners::add);
        if (owners.size() > 1) {
            throw new UsageException("setting '" + key + "' belongs to " + String.join(" and ", owners)
                    + "; write " + String.join(" or ", owners.stream().map(o -> o + "." + key).toList()));
        }
        if (owners.isEmpty()) {
            throw new UsageException("unknown setting '" + key + "'; valid settings: " + allKeys());
        }
        return owners.get(0);
    }

    private boolean has(String component, String key) {
        return schemas.get(component).settings().stream().anyMatch(s -> s.key().equals(key));
    }

    private List<String> keys(String component) {
        return schemas.get(component).settings().stream().map(Setting::key).sorted().toList();
    }

    private String allKeys() {
        TreeSet<String> all = new TreeSet<>();
        schemas.keySet().forEach(component -> keys(component).forEach(k -> all.add(component + "." + k)));
        return String.join(", ", all);
    }
}
