package org.recursa.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One setting an extension accepts: a key, a type, a default and a description, plus an optional range
 * (numbers) or list of choices (strings). {@link #parse(String)} turns user input into a typed value or
 * throws a {@link ConfigException} that says what would be right.
 *
 * @param key          the name users type in {@code --set key=value}
 * @param type         the value type
 * @param defaultValue the default, as text; must itself pass {@link #parse(String)}
 * @param description  one line for help output
 * @param min          inclusive lower bound for numbers, or null
 * @param max          inclusive upper bound for numbers, or null
 * @param choices      the allowed values of a {@link Type#STRING} setting, or an empty list for any
 */
public record Setting(String key, Type type, String defaultValue, String description,
                      Double min, Double max, List<String> choices) {

    /** Value types a setting can have. */
    public enum Type { INT, DOUBLE, BOOLEAN, STRING }

    /** Validates the components and checks that the default parses. */
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        if (!key.matches("[a-z][a-z0-9_.]*")) {
            throw new IllegalArgumentException("setting key must match [a-z][a-z0-9_.]*, got '" + key + "'");
        }
        parseChecked(key, type, defaultValue, min, max, choices);
    }

    /** An integer setting in {@code [min, max]}. */
    public static Setting ofInt(String key, int defaultValue, int min, int max, String description) {
        return new Setting(key, Type.INT, Integer.toString(defaultValue), description,
                (double) min, (double) max, List.of());
    }

    /** A floating-point setting in {@code [min, max]}. */
    public static Setting ofDouble(String key, double defaultValue, double min, double max, String description) {
        return new Setting(key, Type.DOUBLE, Double.toString(defaultValue), description, min, max, List.of());
    }

    /** A boolean setting ({@code true} or {@code false}). */
    public static Setting ofBoolean(String key, boolean defaultValue, String description) {
        return new Setting(key, Type.BOOLEAN, Boolean.toString(defaultValue), description, null, null, List.of());
    }

    /** A string setting restricted to {@code choices}. */
    public static Setting ofChoice(String key, String defaultValue, List<String> choices, String description) {
        return new Setting(key, Type.STRING, defaultValue, description, null, null, choices);
    }

    /**
     * A free-form string setting, such as a path; an empty default means "not set".
     *
     * @since 0.1
     */
    public static Setting ofString(String key, String defaultValue, String description) {
        return new Setting(key, Type.STRING, defaultValue, description, null, null, List.of());
    }

    /**
     * Parses user input for this setting.
     *
     * @param text the value as typed
     * @return an {@link Integer}, {@link Double}, {@link Boolean} or {@link String}
     * @throws ConfigException naming the key, the bad value and what is accepted
     */
    public Object parse(String text) {
        return parseChecked(key, type, text, min, max, choices);
    }

    /** What values are accepted, e.g. {@code an integer in [1, 64]}; used in help and error messages. */
    public String accepted() {
        return accepted(type, min, max, choices);
    }

    private static Object parseChecked(String key, Type type, String text, Double min, Double max,
                                       List<String> choices) {
        String trimmed = text.trim();
        Object value;
        try {
            value = switch (type) {
                case INT -> Integer.parseInt(trimmed);
                case DOUBLE -> Double.parseDouble(trimmed);
                case BOOLEAN -> parseBoolean(trimmed);
                case STRING -> trimmed;
            };
        } catch (NumberFormatException e) {
            throw invalid(key, text, type, min, max, choices);
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || (min != null && d < min) || (max != null && d > max)) {
                throw invalid(key, text, type, min, max, choices);
            }
        }
        if (!choices.isEmpty() && !choices.contains(trimmed)) {
            throw invalid(key, text, type, min, max, choices);
        }
        return value;
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new NumberFormatException(text);
        };
    }

    private static ConfigException invalid(String key, String text, Type type, Double min, Double max,
                                           List<String> choices) {
        return new ConfigException("setting '" + key + "' must be " + accepted(type, min, max, choices)
                + ", got '" + text + "'");
    }

    private static String accepted(Type type, Double min, Double max, List<String> choices) {
        return switch (type) {
            case INT -> "an integer" + range(min, max, true);
            case DOUBLE -> "a number" + range(min, max, false);
            case BOOLEAN -> "true or false";
            case STRING -> choices.isEmpty() ? "a string" : "one of " + String.join(", ", choices);
        };
    }

    private static String range(Double min, Double max, boolean integral) {
        if (min == null && max == null) {
            return "";
        }
        return " in [" + bound(min, integral, "-inf") + ", " + bound(max, integral, "inf") + "]";
    }

    private static String bound(Double value, boolean integral, String none) {
        if (value == null) {
            return none;
        }
        return integral ? Long.toString(value.longValue()) : value.toString();
    }
}
