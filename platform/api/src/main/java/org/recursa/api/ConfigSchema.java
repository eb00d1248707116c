package org.recursa.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ordered list of {@link Setting settings} an extension accepts. {@link #resolve(Map)} applies user
 * overrides on top of the defaults and rejects unknown keys, so that a typo never goes unnoticed.
 */
public final class ConfigSchema {

    /** A schema without settings. */
    public static final ConfigSchema EMPTY = new ConfigSchema(List.of());

    private final Map<String, Setting> settings;

    private ConfigSchema(List<Setting> settings) {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        for (Setting setting : settings) {
            if (byKey.put(setting.key(), setting) != null) {
                throw new IllegalArgumentException("setting '" + setting.key() + "' is declared twice");
            }
        }
        this.settings = java.util.Collections.unmodifiableMap(byKey);
    }

    /** A schema of the given settings, in the order given; keys must be unique. */
    public static ConfigSchema of(Setting... settings) {
        return new ConfigSchema(List.of(settings));
    }

    /** The settings in declaration order. */
    public Collection<Setting> settings() {
        return settings.values();
    }

    /** The defaults of every setting, without overrides. */
    public Config defaults() {
        return resolve(Map.of());
    }

    /**
     * Applies {@code overrides} to the defaults.
     *
     * @param overrides key to value as typed by the user
     * @return the resolved configuration, one typed value per setting
     * @throws ConfigException for an unknown key (listing the valid ones) or a bad value
     */
    public Config resolve(Map<String, String> overrides) {
        for (String key : overrides.keySet()) {
            if (!settings.containsKey(key)) {
                throw new ConfigException("unknown setting '" + key + "'; " + validKeys());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting setting : settings.values()) {
            values.put(setting.key(), setting.parse(overrides.getOrDefault(setting.key(), setting.defaultValue())));
        }
        return new Config(values);
    }

    private String validKeys() {
        if (settings.isEmpty()) {
            return "this extension takes no settings";
        }
        return "valid settings: " + settings.keySet().stream().sorted().collect(Collectors.joining(", "));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigSchema that && new ArrayList<>(settings.values())
                .equals(new ArrayList<>(that.settings.values()));
    }

    @Override
    public int hashCode() {
        return new ArrayList<>(settings.values()).hashCode();
    }

    @Override
    public String toString() {
        return "ConfigSchema" + settings.keySet();
    }
}
