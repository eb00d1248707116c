package org.recursa.api;

/**
 * A setting was unknown or had a value of the wrong type or range. The message is one line meant for the
 * user: it names the setting, what was wrong, and what would be right.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what is wrong and what would be right */
    public ConfigException(String message) {
        super(message);
    }
}
