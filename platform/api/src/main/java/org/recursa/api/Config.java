package org.recursa.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Resolved settings: one typed value for every setting of a {@link ConfigSchema}, defaults included.
 * Made by {@link ConfigSchema#resolve(Map)}; immutable.
 */
public final class Config {

    private final Map<String, Object> values;

    Config(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** An integer setting's value. */
    public int getInt(String key) {
        return (Integer) get(key, Integer.class);
    }

    /** A number setting's value. */
    public double getDouble(String key) {
        return (Double) get(key, Double.class);
    }

    /** A boolean setting's value. */
    public boolean getBoolean(String key) {
        return (Boolean) get(key, Boolean.class);
    }

    /** A string setting's value. */
    public String getString(String key) {
        return (String) get(key, String.class);
    }

    /** Every value by key, in schema order; what a run records as its resolved configuration. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object get(String key, Class<?> type) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no setting '" + key + "' in " + values.keySet());
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("setting '" + key + "' is a " + value.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Config that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
