package org.recursa.plugins.compressors;

import org.recursa.api.ConfigException;
import org.recursa.api.compress.ModelSnapshot;

/**
 * Typed reads of a snapshot's architecture settings. A checkpoint's header gives them back as JSON values, so an
 * integer may arrive as any {@link Number} or, from a hand-written map, as text.
 */
final class ModelSettings {

    private ModelSettings() {
    }

    /** The integer setting {@code key} of the model. */
    static int integer(ModelSnapshot model, String key) {
        Object value = model.settings().get(key);
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value instanceof String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw missing(model, key);
            }
        }
        throw missing(model, key);
    }

    /** The setting {@code key} of the model as text; empty when it has none. */
    static String text(ModelSnapshot model, String key) {
        Object value = model.settings().get(key);
        return value == null ? "" : String.valueOf(value);
    }

    private static ConfigException missing(ModelSnapshot model, String key) {
        return new ConfigException("the " + model.architecture() + " model has no integer setting '" + key
                + "' (its settings: " + model.settings().keySet() + ")");
    }
}
