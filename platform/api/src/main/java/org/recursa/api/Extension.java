package org.recursa.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Root of every extension a plugin offers. An extension is found by its {@link ExtensionKind kind} and
 * its {@link #id() id}; within one kind, ids are unique across all installed plugins.
 *
 * <p>Implementations must be thread-safe and keep no per-run state: the host may use one instance for
 * several runs, one after the other or at once. Per-run state belongs in the objects the extension
 * returns (a generator, a model, a report).
 */
@ConsumerType
public interface Extension {

    /**
     * The id users type on the command line, for example {@code copy} or {@code greedy}: lower case
     * letters, digits and dashes, starting with a letter (see {@link #isValidId(String)}).
     */
    String id();

    /** One line that says what this extension does, shown by {@code recursa extensions}. */
    String description();

    /** The settings this extension accepts, each with a type, a default and a description. */
    default ConfigSchema schema() {
        return ConfigSchema.EMPTY;
    }

    /**
     * Whether {@code id} has the form extension ids must have.
     *
     * @param id a candidate id
     * @return true for {@code [a-z][a-z0-9-]*} of at most 64 characters
     */
    static boolean isValidId(String id) {
        return id != null && id.length() <= 64 && id.matches("[a-z][a-z0-9-]*");
    }
}
