package org.recursa.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.recursa.api.compress.Compressor;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Architecture;
import org.recursa.api.task.Task;

/** The four kinds of extension point a plugin can offer. */
public enum ExtensionKind {
    /** Model families such as the Universal Transformer; see {@link Architecture}. */
    ARCHITECTURE(Architecture.class),
    /** Problems with a generator, a reference interpreter and a checker; see {@link Task}. */
    TASK(Task.class),
    /** Decoding strategies; see {@link Sampler}. */
    SAMPLER(Sampler.class),
    /** Weight transformations that make a model smaller; see {@link Compressor}. */
    COMPRESSOR(Compressor.class);

    private final Class<? extends Extension> type;

    ExtensionKind(Class<? extends Extension> type) {
        this.type = type;
    }

    /** The interface every extension of this kind implements. */
    public Class<? extends Extension> type() {
        return type;
    }

    /** The lower-case name used on the command line and in files, e.g. {@code task}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind with the given {@link #label() label}, ignoring case and a trailing {@code s}.
     *
     * @param label for example {@code task} or {@code tasks}
     * @return the kind, or empty if no kind has that label
     */
    public static Optional<ExtensionKind> fromLabel(String label) {
        String wanted = label.toLowerCase(Locale.ROOT);
        String singular = wanted.endsWith("s") ? wanted.substring(0, wanted.length() - 1) : wanted;
        return Arrays.stream(values())
                .filter(kind -> kind.label().equals(wanted) || kind.label().equals(singular))
                .findFirst();
    }
}
