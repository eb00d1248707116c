package org.recursa.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.recursa.api.Extension;
import org.recursa.api.ExtensionKind;
import org.recursa.engine.train.TrainableArchitecture;

/**
 * Every extension the installed bundles offer, keyed by kind and id. The extender adds a bundle's
 * extensions when it starts and removes them when it stops. A bundle's extensions are registered all or
 * nothing: if one of its ids is taken, none is registered and the bundle is marked failed.
 *
 * <p>Thread-safe: the framework calls in from its threads while commands read.
 */
public final class ExtensionRegistry {

    /** The training SPI's version, as the host exports it; named in refusals. */
    private static final String TRAINING_SPI = RecursaHost.exportedVersion(TrainableArchitecture.class.getPackageName())
            .map(version -> "(training SPI " + version + ")").orElse("(the training SPI)");

    private final Map<ExtensionKind, Map<String, ExtensionEntry>> byKind = new EnumMap<>(ExtensionKind.class);
    private final Map<Long, String> failures = new HashMap<>();

    /** Creates an empty registry. */
    public ExtensionRegistry() {
        for (ExtensionKind kind : ExtensionKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
    }

    /**
     * Registers all extensions of one bundle.
     *
     * @param bundle     the bundle offering them
     * @param extensions the extensions by kind
     * @throws RecursaException if an id is malformed, repeated, or already offered by another bundle; then
     *                          nothing of this bundle is registered
     */
    public synchronized void register(BundleRef bundle, Map<ExtensionKind, List<Extension>> extensions) {
        Map<ExtensionKind, Map<String, ExtensionEntry>> staged = new EnumMap<>(ExtensionKind.class);
        for (Map.Entry<ExtensionKind, List<Extension>> kindEntry : extensions.entrySet()) {
            ExtensionKind kind = kindEntry.getKey();
            for (Extension extension : kindEntry.getValue()) {
                String id = extension.id();
                if (!Extension.isValidId(id)) {
                    throw new RecursaException("bundle " + bundle + " offers a " + kind.label() + " with invalid id '"
                            + id + "' (" + extension.getClass().getName()
                            + "); ids are lower-case letters, digits and dashes, starting with a letter");
                }
                checkContract(bundle, kind, extension);
                ExtensionEntry existing = byKind.get(kind).get(id);
                if (existing != null) {
                    throw new RecursaException("duplicate " + kind.label() + " id '" + id + "': offered by bundle "
                            + existing.bundle() + " and by bundle " + bundle + "; uninstall one of them");
                }
                Map<String, ExtensionEntry> ofKind = staged.computeIfAbsent(kind, k -> new TreeMap<>());
                if (ofKind.put(id, new ExtensionEntry(kind, extension, bundle)) != null) {
                    throw new RecursaException("bundle " + bundle + " offers two " + kind.label() + "s with id '"
                            + id + "'; ids must be unique within a kind");
                }
            }
        }
        staged.forEach((kind, entries) -> byKind.get(kind).putAll(entries));
        failures.remove(bundle.id());
    }

    /**
     * What each kind must implement beyond its API interface: an architecture must be trainable (training SPI), so
     * that a model it builds can be trained, evaluated and checkpointed; checked here, once, rather than by a cast
     * in the middle of a run.
     */
    private static void checkContract(BundleRef bundle, ExtensionKind kind, Extension extension) {
        if (kind == ExtensionKind.ARCHITECTURE && !(extension instanceof TrainableArchitecture)) {
            throw new RecursaException("bundle " + bundle + " offers architecture '" + extension.id() + "' ("
                    + extension.getClass().getName() + "), which does not implement "
                    + TrainableArchitecture.class.getName() + " " + TRAINING_SPI
                    + ": an architecture's build must return a TrainableModel (see docs/plugin-guide.md)");
        }
    }

    /** Removes every extension of the bundle with framework id {@code bundleId}, and its failure if any. */
    public synchronized void unregister(long bundleId) {
        byKind.values().forEach(entries -> entries.values().removeIf(e -> e.bundle().id() == bundleId));
        failures.remove(bundleId);
    }

    /** Records why a bundle's extensions could not be registered. */
    public synchronized void recordFailure(BundleRef bundle, String message) {
        failures.put(bundle.id(), message);
    }

    /** Why the bundle's extensions are not registered, if they could not be. */
    public synchronized Optional<String> failure(long bundleId) {
        return Optional.ofNullable(failures.get(bundleId));
    }

    /** Every extension, ordered by kind then id. */
    public synchronized List<ExtensionEntry> all() {
        List<ExtensionEntry> all = new ArrayList<>();
        byKind.values().forEach(entries -> all.addAll(entries.values()));
        return all;
    }

    /** Extensions of one kind, ordered by id. */
    public synchronized List<ExtensionEntry> list(ExtensionKind kind) {
        return List.copyOf(byKind.get(kind).values());
    }

    /** Extensions offered by one bundle, ordered by kind then id. */
    public synchronized List<ExtensionEntry> ofBundle(long bundleId) {
        return all().stream().filter(e -> e.bundle().id() == bundleId).toList();
    }

    /** Extensions of any kind with the given id. */
    public synchronized List<ExtensionEntry> withId(String id) {
        return all().stream().filter(e -> e.id().equals(id))
                .sorted(Comparator.comparing(ExtensionEntry::kind)).toList();
    }

    /** The extension of a kind with an id, if installed. */
    public synchronized Optional<ExtensionEntry> find(ExtensionKind kind, String id) {
        return Optional.ofNullable(byKind.get(kind).get(id));
    }

    /**
     * The extension of a kind with an id.
     *
     * @throws UsageException naming the installed choices if there is none
     */
    public synchronized <T extends Extension> T require(Class<T> type, String id) {
        ExtensionKind kind = kindOf(type);
        ExtensionEntry entry = byKind.get(kind).get(id);
        if (entry == null) {
            String installed = byKind.get(kind).keySet().stream().collect(Collectors.joining(", "));
            throw new UsageException("unknown " + kind.label() + " '" + id + "'; "
                    + (installed.isEmpty() ? "no " + kind.label() + " is installed"
                    : "installed " + kind.label() + "s: " + installed));
        }
        return type.cast(entry.extension());
    }

    /** The kind whose API type {@code type} is, or extends (as the training SPI's architecture does). */
    private static ExtensionKind kindOf(Class<?> type) {
        for (ExtensionKind kind : ExtensionKind.values()) {
            if (kind.type().isAssignableFrom(type)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(type + " is not an extension point");
    }
}
