package org.recursa.runtime;

import org.recursa.runstore.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;

/**
 * The plugins installed on this machine: jars in {@code $RECURSA_HOME/plugins} and the journal that lists
 * them. At start every journaled jar is installed into the (fresh) framework and started. {@link #install},
 * {@link #update} and {@link #uninstall} check everything before they touch the store, so a failed command leaves it
 * as it was. Every change to the store happens inside {@link PluginJournal#update}, under a lock shared by all
 * processes using this home. A store that is not writable is used read-only: it is listed and started, and
 * install and uninstall refuse with the path that cannot be written.
 */
public final class PluginStore {

    private static final String LOCATION_PREFIX = "recursa:";
    private static final Pattern PACKAGE = Pattern.compile("osgi\\.wiring\\.package=([^)\\s]+)");
    private static final Pattern FLOOR = Pattern.compile("\\(version>=([^)]+)\\)");
    private static final Pattern CEILING = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");

    private final Path dir;
    private final BundleContext context;
    private final ExtensionRegistry registry;
    private final Optional<String> readOnly;
    private final Map<String, String> startProblems = new HashMap<>();
    /** Bundle id to the SHA-256 of the bytes it was installed from, for every bundle this store installed. */
    private final Map<Long, String> installedHashes = new ConcurrentHashMap<>();
    private PluginJournal journal;

    /**
     * @param readOnly why the store cannot be written (e.g. "/x/plugins is not writable (Read-only file
     *                 system)"), or empty when it can
     */
    PluginStore(Path dir, BundleContext context, ExtensionRegistry registry, Optional<String> readOnly) {
        this.dir = dir;
        this.context = context;
        this.registry = registry;
        this.readOnly = readOnly;
    }

    /**
     * Brings the framework in line with the journal: seeds the store from the distribution on first start,
     * refreshes first-party jars the distribution has replaced, then installs and starts every plugin. A
     * plugin that fails is reported by {@link #list()}, not thrown: one bad plugin must not stop the host. A
     * read-only store is neither seeded nor refreshed: its journal is used as it is (none means no plugins).
     */
    void startInstalled(Optional<Path> distribution) {
        journal = PluginJournal.load(dir);
        if (readOnly.isEmpty()) {
            createDirectory(dir);
            journal.update("distribution refresh", () -> {
                // Decided under the lock, so that of two first starts at once only one seeds.
                boolean firstStart = !journal.existsOnDisk();
                distribution.filter(Files::isDirectory).ifPresent(d -> syncDistribution(d, firstStart));
                if (firstStart) {
                    journal.save();
                }
                return null;
            });
        }
        List<Bundle> installed = new ArrayList<>();
        for (PluginJournal.Entry entry : journal.entries()) {
            Optional<Path> inside = StorePaths.inside(dir, entry.file());
            if (inside.isEmpty()) {
                startProblems.put(entry.symbolicName(), PluginJournal.FILE + " names '" + entry.file()
                        + "' as the jar of " + entry.symbolicName() + ", which is not a file in " + dir
                        + "; uninstall the plugin and install it again");
                continue;
            }
            Path jar = inside.get();
            try {
                installed.add(installBytes(LOCATION_PREFIX + entry.symbolicName(), Files.readAllBytes(jar)));
            } catch (IOException e) {
                startProblems.put(entry.symbolicName(), "cannot read " + jar + ": " + e.getMessage()
                        + "; reinstall the plugin");
            } catch (BundleException e) {
                startProblems.put(entry.symbolicName(), firstLine(e.getMessage()));
            }
        }
        for (Bundle bundle : installed) {
            try {
                bundle.start();
            } catch (BundleException e) {
                startProblems.put(bundle.getSymbolicName(), unresolvedReason(bundle, e));
            }
        }
    }

    /**
     * Installs a plugin bundle from a file: checks it, starts it, registers its extensions, runs the cheap conformance
     * rules on them ({@link InstallChecks}), and only then copies it into the store and records it in the journal.
     *
     * @return the installed plugin
     * @throws RecursaException with one line saying what is wrong; the store is then unchanged
     */
    public PluginView install(Path file) {
        requireWritable("install " + file);
        BundleFile candidate = BundleFile.read(file);
        refuseIfInstalled(candidate);
        Bundle bundle = installIntoFramework(candidate);
        try {
            start(bundle);
            requireConforming(bundle);
            journal.update("install " + candidate.symbolicName() + " " + candidate.version(), () -> {
                refuseIfInstalled(candidate); // again: another process may have installed it meanwhile
                persist(candidate, PluginJournal.Origin.USER);
                return null;
            });
        } catch (RuntimeException e) {
            remove(bundle);
            throw e;
        }
        return view(journal.bySymbolicName(candidate.symbolicName()).orElseThrow());
    }

    /**
     * Uninstalls the bundle named {@code target}, or the bundle offering the extension with id {@code target}.
     *
     * @return the plugin as it was before removal
     * @throws RecursaException if nothing or several bundles match, or another plugin depends on it
     */
    public PluginView uninstall(String target) {
        requireWritable("uninstall " + target);
        PluginJournal.Entry entry = resolve(target);
        PluginView before = view(entry);
        Optional<Bundle> bundle = live(entry.symbolicName());
        bundle.ifPresent(this::refuseIfDependedOn);
        bundle.ifPresent(this::remove);
        journal.update("uninstall " + entry.symbolicName() + " " + entry.version(), () -> {
            journal.bySymbolicName(entry.symbolicName()).ifPresent(current -> {
                journal.remove(current.symbolicName());
                // A name that is not a plain file in plugins/ (an edited journal) is dropped, never followed.
                StorePaths.inside(dir, current.file()).ifPresent(jar -> journal.history().keep(jar,
                        current.sha256()));
            });
            return null;
        });
        startProblems.remove(entry.symbolicName());
        return before;
    }

    /**
     * Replaces an installed plugin by a jar with the same symbolic name and a different version (the same version
     * only with {@code force}). The new bundle must resolve, start, register its extensions and pass the install
     * checks ({@link InstallChecks}) before the store changes; if it does not, the old bundle is put back and started
     * and the store is left as it was.
     *
     * @param target the bundle or extension id the jar must replace, or null to go by the jar's symbolic name
     * @return the plugin before and after
     * @throws UsageException   if the jar's bundle is not installed, is not {@code target}, or has the same version
     * @throws RecursaException if the new bundle fails; the old one is then installed and started as before
     */
    public PluginUpdate update(String target, Path file, boolean force) {
        requireWritable("update " + file);
        BundleFile candidate = BundleFile.read(file);
        PluginJournal.Entry old = target == null ? installedAs(candidate) : resolve(target);
        if (!old.symbolicName().equals(candidate.symbolicName())) {
            throw new UsageException(file.getFileName() + " is bundle " + candidate.symbolicName() + ", not "
                    + old.symbolicName() + " which '" + target + "' names; pass a jar of " + old.symbolicName());
        }
        if (old.version().equals(candidate.version()) && !force) {
            throw new UsageException("bundle " + old.symbolicName() + " " + old.version() + " is already installed; "
                    + "pass a jar with another version, or --force to replace it by this jar anyway");
        }
        PluginView before = view(old);
        Optional<Bundle> live = live(old.symbolicName());
        live.ifPresent(this::refuseIfDependedOn);
        byte[] bytes = readBytes(candidate.path());
        if (live.isPresent()) {
            replaceInFramework(live.get(), old, bytes);
        } else {
            startFresh(candidate, bytes);
        }
        try {
            journal.update("update " + old.symbolicName() + " " + old.version() + " -> " + candidate.version(), () -> {
                refuseIfChanged(old);
                persistReplacing(old, candidate);
                return null;
            });
        } catch (RuntimeException e) {
            live.ifPresentOrElse(b -> restore(b, old), () -> live(old.symbolicName()).ifPresent(this::remove));
            throw e;
        }
        startProblems.remove(old.symbolicName());
        return new PluginUpdate(before, view(journal.bySymbolicName(candidate.symbolicName()).orElseThrow()));
    }

    /**
     * Makes {@code change} as one step ({@link PluginSetTransaction}): all of it, or nothing in the framework and
     * the store.
     *
     * @throws RecursaException with one line saying what failed; nothing is then changed
     */
    public PluginSetResult apply(PluginSetChange change) {
        requireWritable(change.reason() == null ? "change the installed plugins" : change.reason());
        return new PluginSetTransaction(this, journal, dir, change, Map.of(), () -> { }).apply();
    }

    /**
     * Uninstalls the bundle named {@code target} (or offering the extension {@code target}) and the bundles that were
     * installed only as its dependencies and that nothing else needs any more, in one step.
     *
     * @return what left: the bundle asked for first
     * @throws RecursaException if another plugin needs the bundle
     */
    public PluginSetResult uninstallWithUnneeded(String target) {
        requireWritable("uninstall " + target);
        PluginJournal.Entry entry = resolve(target);
        Set<String> leaving = new LinkedHashSet<>(List.of(entry.symbolicName()));
        List<String> users = requirersOf(entry.symbolicName());
        if (!users.isEmpty()) {
            throw new RecursaException("bundle " + entry.symbolicName() + " is used by " + String.join(", ", users)
                    + "; uninstall " + (users.size() == 1 ? "it" : "them") + " first");
        }
        for (boolean grew = true; grew; ) {
            grew = false;
            for (PluginJournal.Entry candidate : journal.entries()) {
                List<String> requirers = requirersOf(candidate.symbolicName());
                if (candidate.isDependency() && !leaving.contains(candidate.symbolicName()) && !requirers.isEmpty()
                        && leaving.containsAll(requirers)) {
                    leaving.add(candidate.symbolicName());
                    grew = true;
                }
            }
        }
        return apply(new PluginSetChange("uninstall " + entry.symbolicName() + " " + entry.version(),
                List.copyOf(leaving), List.of()));
    }

    /** The symbolic names of the other bundles wired to {@code symbolicName}'s capabilities now. */
    private List<String> requirersOf(String symbolicName) {
        return live(symbolicName).map(b -> b.adapt(BundleWiring.class)).map(wiring -> wiring.getProvidedWires(null)
                .stream().map(w -> w.getRequirer().getBundle())
                .filter(b -> b.getBundleId() != 0 && !symbolicName.equals(b.getSymbolicName()))
                .map(Bundle::getSymbolicName).distinct().sorted().toList()).orElse(List.of());
    }

    /**
     * Returns to the installed set before the newest recorded change, with the jars kept in the history, and forgets
     * that change: another rollback goes one further back.
     *
     * @throws UsageException   if no change is recorded
     * @throws RecursaException if a jar of that set is no longer kept, or the change fails (nothing is then changed)
     */
    public PluginSetResult rollback() {
        requireWritable("roll back");
        List<PluginHistory.Change> changes = journal.history().changes();
        if (changes.isEmpty()) {
            throw new UsageException("there is no earlier set of plugins to roll back to: no install, update or "
                    + "uninstall is recorded in " + dir.resolve(PluginHistory.FILE));
        }
        PluginHistory.Change newest = changes.get(changes.size() - 1);
        Map<String, PluginJournal.Entry> now = new HashMap<>();
        journal.entries().forEach(e -> now.put(e.symbolicName(), e));
        List<String> remove = new ArrayList<>();
        for (PluginJournal.Entry entry : journal.entries()) {
            boolean same = newest.before().stream().anyMatch(b -> b.symbolicName().equals(entry.symbolicName())
                    && b.sha256().equals(entry.sha256()));
            if (!same) {
                remove.add(entry.symbolicName());
            }
        }
        List<PluginSetChange.Addition> add = new ArrayList<>();
        Map<String, PluginJournal.Origin> origins = new HashMap<>();
        for (PluginJournal.Entry entry : newest.before()) {
            PluginJournal.Entry current = now.get(entry.symbolicName());
            if (current == null || !current.sha256().equals(entry.sha256())) {
                Path jar = journal.history().jar(entry.sha256()).orElseThrow(() -> new RecursaException("the jar of "
                        + entry.symbolicName() + " " + entry.version() + " is no longer kept in "
                        + dir.resolve(PluginHistory.JARS) + ", so the plugins before '" + newest.reason()
                        + "' cannot be restored; nothing was changed"));
                add.add(new PluginSetChange.Addition(jar, entry.isDependency()));
                origins.put(entry.symbolicName(), entry.origin());
            }
        }
        PluginSetChange change = new PluginSetChange(null, remove, add);
        Runnable forget = () -> {
            List<PluginHistory.Change> latest = journal.history().changes();
            if (latest.isEmpty() || !latest.get(latest.size() - 1).equals(newest)) {
                throw new RecursaException("another recursa process changed the plugins meanwhile; nothing was "
                        + "rolled back; run 'recursa plugin history' and try again");
            }
            journal.history().dropNewest(journal.entries());
        };
        return new PluginSetTransaction(this, journal, dir, change, origins, forget).apply();
    }

    /** The recorded earlier sets, newest first: what successive rollbacks return to. */
    public List<PluginSetRecord> history() {
        List<PluginSetRecord> records = new ArrayList<>();
        for (PluginHistory.Change change : journal.history().changes()) {
            records.add(0, new PluginSetRecord(change.at(), change.reason(), change.before().stream()
                    .map(e -> e.symbolicName() + " " + e.version()).sorted().toList()));
        }
        return records;
    }

    /**
     * Every resolved bundle's revision and wiring, the system bundle's (the host's packages) included: what a resolver
     * planning an install must take as already there.
     */
    public Map<Resource, Wiring> wirings() {
        Map<Resource, Wiring> wirings = new LinkedHashMap<>();
        for (Bundle bundle : context.getBundles()) {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision != null && revision.getWiring() != null && bundle.getState() != Bundle.UNINSTALLED) {
                wirings.put(revision, revision.getWiring());
            }
        }
        return wirings;
    }

    /** Which installed bundles were installed only as dependencies of others. */
    public Set<String> dependencies() {
        Set<String> names = new LinkedHashSet<>();
        journal.entries().stream().filter(PluginJournal.Entry::isDependency)
                .forEach(e -> names.add(e.symbolicName()));
        return names;
    }

    private PluginJournal.Entry installedAs(BundleFile candidate) {
        return journal.bySymbolicName(candidate.symbolicName()).orElseThrow(() -> new UsageException("bundle "
                + candidate.symbolicName() + " is not installed, so there is nothing to update; install it with "
                + "'recursa plugin install " + candidate.path() + "'"));
    }

    /**
     * Swaps the bytes of a running bundle in place (same bundle id and location, so the old bundle's extension ids
     * are free for the new one), and puts the old bytes back if the new ones do not start cleanly.
     */
    private void replaceInFramework(Bundle bundle, PluginJournal.Entry old, byte[] bytes) {
        byte[] oldBytes = storedBytes(bundle, old);
        try {
            swap(bundle, bytes);
            start(bundle);
            requireConforming(bundle);
        } catch (RuntimeException e) {
            restore(bundle, old, oldBytes);
            throw e;
        }
    }

    /** A journaled plugin that never made it into the framework (unreadable jar) is replaced like an install. */
    private void startFresh(BundleFile candidate, byte[] bytes) {
        Bundle bundle;
        try {
            bundle = installBytes(LOCATION_PREFIX + candidate.symbolicName(), bytes);
        } catch (BundleException e) {
            throw new RecursaException("the framework refused " + candidate.path().getFileName() + ": "
                    + firstLine(e.getMessage()), e);
        }
        try {
            start(bundle);
            requireConforming(bundle);
        } catch (RuntimeException e) {
            remove(bundle);
            throw e;
        }
    }

    /**
     * The bytes the framework runs for {@code bundle}, read back from the store to roll back with. A store file that
     * no longer matches them was changed by another process, and this one cannot promise to restore it.
     */
    byte[] storedBytes(Bundle bundle, PluginJournal.Entry old) {
        Path jar = StorePaths.inside(dir, old.file()).orElseThrow(() -> new RecursaException(PluginJournal.FILE
                + " names '" + old.file() + "' as the jar of " + old.symbolicName() + ", which is not a file in " + dir
                + "; uninstall the plugin and install the new jar"));
        byte[] bytes = readBytes(jar);
        String running = installedHashes.get(bundle.getBundleId());
        if (running != null && !running.equals(BundleFile.sha256(bytes))) {
            throw new RecursaException(jar + " changed since this command started (another recursa process updated "
                    + old.symbolicName() + "?); run the command again");
        }
        return bytes;
    }

    private void swap(Bundle bundle, byte[] bytes) {
        try {
            // Stopped first: update() would restart an active bundle itself and only report a failure as an event.
            bundle.stop();
            bundle.update(new ByteArrayInputStream(bytes));
        } catch (BundleException | IllegalStateException e) {
            throw new RecursaException("the framework refused the new jar of " + bundle.getSymbolicName() + ": "
                    + firstLine(e.getMessage()), e);
        }
        installedHashes.put(bundle.getBundleId(), BundleFile.sha256(bytes));
        refresh(bundle); // drops the old revision, so the new one resolves on its own
    }

    /** Puts the old jar back after a failed update: read again from the store, which is still unchanged. */
    private void restore(Bundle bundle, PluginJournal.Entry old) {
        StorePaths.inside(dir, old.file()).ifPresent(jar -> restore(bundle, old, readBytes(jar)));
    }

    private void restore(Bundle bundle, PluginJournal.Entry old, byte[] oldBytes) {
        try {
            swap(bundle, oldBytes);
            if (!startProblems.containsKey(old.symbolicName())) {
                bundle.start();
            }
        } catch (BundleException | RuntimeException e) {
            // The store is unchanged, so the next start brings the old plugin back even if this process cannot.
            startProblems.put(old.symbolicName(), "the old jar could not be restarted after a failed update: "
                    + firstLine(e.getMessage()));
        }
    }

    private void refuseIfChanged(PluginJournal.Entry old) {
        Optional<PluginJournal.Entry> current = journal.bySymbolicName(old.symbolicName());
        if (current.isEmpty() || !current.get().sha256().equals(old.sha256())) {
            throw new RecursaException("another recursa process changed " + old.symbolicName()
                    + " while this one was updating it; run 'recursa plugin info " + old.symbolicName()
                    + "' and try again");
        }
    }

    /**
     * Copies the new jar in and journals it as the user's (so that a distribution refresh does not revert it), then
     * deletes the old jar. Runs inside {@link PluginJournal#update}.
     */
    private void persistReplacing(PluginJournal.Entry old, BundleFile candidate) {
        Optional<Path> oldJar = StorePaths.inside(dir, old.file());
        if (!old.file().equals(candidate.storeName())) {
            persist(candidate, PluginJournal.Origin.USER);
            oldJar.ifPresent(jar -> journal.history().keep(jar, old.sha256()));
            return;
        }
        // Same file name (same version, --force): the copy overwrites the old jar, so keep its bytes to undo it.
        byte[] oldBytes = oldJar.map(PluginStore::readBytes).orElse(null);
        oldJar.ifPresent(jar -> journal.history().keepCopy(jar, old.sha256()));
        try {
            persist(candidate, PluginJournal.Origin.USER);
        } catch (RuntimeException e) {
            if (oldBytes != null) {
                AtomicFiles.write(oldJar.get(), oldBytes);
            }
            throw e;
        }
    }

    static byte[] readBytes(Path jar) {
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new RecursaException("cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    private void requireWritable(String action) {
        readOnly.ifPresent(problem -> {
            throw new RecursaException("cannot " + action + ": " + problem
                    + "; use a writable home (--home or RECURSA_HOME)");
        });
    }

    private void refuseIfInstalled(BundleFile candidate) {
        journal.bySymbolicName(candidate.symbolicName()).ifPresent(existing -> {
            throw new RecursaException("bundle " + candidate.symbolicName() + " is already installed (version "
                    + existing.version() + "); uninstall it first with 'recursa plugin uninstall "
                    + candidate.symbolicName() + "'");
        });
    }

    /** Every installed plugin, by symbolic name. */
    public List<PluginView> list() {
        return journal.entries().stream()
                .sorted((a, b) -> a.symbolicName().compareTo(b.symbolicName()))
                .map(this::view).toList();
    }

    /**
     * The plugin named {@code target} or offering the extension {@code target}.
     *
     * @throws RecursaException if none or several match
     */
    public PluginView info(String target) {
        return view(resolve(target));
    }

    private PluginJournal.Entry resolve(String target) {
        Optional<PluginJournal.Entry> byName = journal.bySymbolicName(target);
        if (byName.isPresent()) {
            return byName.get();
        }
        List<ExtensionEntry> matches = registry.withId(target);
        List<String> bundles = matches.stream().map(e -> e.bundle().symbolicName()).distinct().toList();
        if (bundles.size() > 1) {
            throw new UsageException("'" + target + "' names extensions in several bundles ("
                    + matches.stream().map(e -> e.kind().label() + " in " + e.bundle().symbolicName())
                    .collect(Collectors.joining(", ")) + "); name the bundle instead");
        }
        if (bundles.isEmpty()) {
            throw new UsageException("no installed plugin offers an extension or is a bundle named '" + target
                    + "'; installed: " + installedSummary());
        }
        return journal.bySymbolicName(bundles.get(0)).orElseThrow();
    }

    private String installedSummary() {
        List<String> names = new ArrayList<>();
        registry.all().forEach(e -> names.add(e.id() + " (" + e.kind().label() + ")"));
        journal.entries().stream().map(PluginJournal.Entry::symbolicName)
                .filter(n -> registry.all().stream().noneMatch(e -> e.bundle().symbolicName().equals(n)))
                .forEach(names::add);
        return names.isEmpty() ? "nothing" : String.join(", ", names);
    }

    PluginView view(PluginJournal.Entry entry) {
        Optional<Bundle> bundle = live(entry.symbolicName());
        List<ExtensionEntry> extensions = bundle.map(b -> registry.ofBundle(b.getBundleId())).orElse(List.of());
        Optional<String> problem = Optional.ofNullable(startProblems.get(entry.symbolicName()))
                .or(() -> bundle.flatMap(b -> registry.failure(b.getBundleId())));
        String state = problem.isPresent() ? "failed" : bundle.map(PluginStore::stateOf).orElse("missing");
        String file = StorePaths.inside(dir, entry.file()).map(Path::toString).orElse(entry.file());
        return new PluginView(entry.symbolicName(), entry.version(), state, file,
                entry.sha256(), entry.origin().name().toLowerCase(Locale.ROOT), entry.installedAt(), extensions,
                problem);
    }

    Optional<Bundle> live(String symbolicName) {
        Bundle bundle = context.getBundle(LOCATION_PREFIX + symbolicName);
        return Optional.ofNullable(bundle).filter(b -> b.getState() != Bundle.UNINSTALLED);
    }

    /** Seeds or refreshes the store from the distribution; runs inside {@link PluginJournal#update}. */
    private void syncDistribution(Path distribution, boolean firstStart) {
        for (Path jar : jarsIn(distribution)) {
            BundleFile shipped = BundleFile.read(jar);
            Optional<PluginJournal.Entry> current = journal.bySymbolicName(shipped.symbolicName());
            boolean replaced = current.isPresent() && current.get().origin() == PluginJournal.Origin.DISTRIBUTION
                    && !current.get().sha256().equals(shipped.sha256());
            if (firstStart || replaced) {
                current.ifPresent(old -> StorePaths.inside(dir, old.file()).ifPresent(retired -> journal.history()
                        .keep(retired, old.sha256())));
                persist(shipped, PluginJournal.Origin.DISTRIBUTION);
            }
        }
    }

    /** Copies a bundle into the store and journals it; runs inside {@link PluginJournal#update}. */
    private void persist(BundleFile bundle, PluginJournal.Origin origin) {
        Path target = StorePaths.inside(dir, bundle.storeName()).orElseThrow(() -> new IllegalStateException(
                "store name " + bundle.storeName() + " is not a plain file name"));
        AtomicFiles.copy(bundle.path(), target);
        try {
            journal.put(new PluginJournal.Entry(bundle.storeName(), bundle.symbolicName(), bundle.version(),
                    bundle.sha256(), origin, Instant.now().toString(), null));
        } catch (RuntimeException e) {
            AtomicFiles.deleteQuietly(target);
            throw e;
        }
    }

    /**
     * Every bundle started in the framework now (active, or starting under lazy activation), by symbolic name, with
     * the SHA-256 of the bytes this store installed it from.
     */
    public List<StartedBundle> started() {
        List<StartedBundle> started = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean running = bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING;
            if (bundle.getBundleId() != 0 && running) {
                started.add(new StartedBundle(BundleRef.of(bundle), installedHashes.get(bundle.getBundleId())));
            }
        }
        started.sort(Comparator.comparing((StartedBundle b) -> b.bundle().symbolicName())
                .thenComparing(b -> b.bundle().version()));
        return started;
    }

    /**
     * Installs a jar from its bytes, read once, and remembers their hash: the hash of exactly what the framework
     * runs, even if the file changes afterwards.
     */
    private Bundle installBytes(String location, byte[] jar) throws BundleException {
        Bundle bundle = context.installBundle(location, new ByteArrayInputStream(jar));
        installedHashes.put(bundle.getBundleId(), BundleFile.sha256(jar));
        return bundle;
    }

    private Bundle installIntoFramework(BundleFile candidate) {
        try {
            return installBytes(LOCATION_PREFIX + candidate.symbolicName(), Files.readAllBytes(candidate.path()));
        } catch (IOException e) {
            throw new RecursaException("cannot read " + candidate.path() + ": " + e.getMessage(), e);
        } catch (BundleException e) {
            throw new RecursaException("the framework refused " + candidate.path().getFileName() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /**
     * A started bundle registered its extensions and they pass the install checks; runs before the store changes, so
     * that a refusal leaves {@code plugins/} as it was.
     */
    void requireConforming(Bundle bundle) {
        registry.failure(bundle.getBundleId()).ifPresent(problem -> {
            throw new RecursaException(problem);
        });
        InstallChecks.verify(BundleRef.of(bundle), registry.ofBundle(bundle.getBundleId()));
    }

    void start(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException e) {
            throw new RecursaException(unresolvedReason(bundle, e), e);
        }
    }

    /** Names the missing packages when a bundle cannot resolve; Felix's own message is a paragraph. */
    String unresolvedReason(Bundle bundle, Exception e) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        if (revision != null && bundle.getState() == Bundle.INSTALLED) {
            for (Requirement requirement : revision.getRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
                boolean optional = PackageNamespace.RESOLUTION_OPTIONAL.equals(
                        requirement.getDirectives().get(PackageNamespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
                if (!optional && wiring.findProviders(requirement).isEmpty()) {
                    String filter = requirement.getDirectives().get("filter");
                    List<String> offered = exportedVersions(packageName(filter));
                    (offered.isEmpty() ? missing : mismatched).add(describe(filter)
                            + (offered.isEmpty() ? "" : ", exported at " + String.join(" and ", offered)));
                }
            }
        }
        String name = BundleRef.of(bundle).toString();
        if (missing.isEmpty() && mismatched.isEmpty()) {
            return "bundle " + name + " cannot start: " + firstLine(e.getMessage());
        }
        if (!mismatched.isEmpty()) {
            return "bundle " + name + " cannot be resolved: it imports " + String.join("; ", mismatched)
                    + (missing.isEmpty() ? "" : "; and " + String.join(", ", missing) + ", exported by nothing")
                    + "; rebuild it against the packages this Recursa exports ('recursa --version' lists them)";
        }
        return "bundle " + name + " cannot be resolved: it imports " + (missing.size() == 1 ? "package " : "packages ")
                + String.join(", ", missing) + ", which neither the host nor any installed plugin exports";
    }

    /** The package a requirement's filter names, or null. */
    private static String packageName(String filter) {
        Matcher name = PACKAGE.matcher(filter == null ? "" : filter);
        return name.find() ? name.group(1) : null;
    }

    /**
     * Who exports {@code packageName} and at which version, e.g. {@code 0.4.0 by the host}: an import whose range
     * misses every export is a version mismatch, which a plugin author fixes differently from a missing package.
     */
    private List<String> exportedVersions(String packageName) {
        List<String> offered = new ArrayList<>();
        if (packageName == null) {
            return offered;
        }
        for (Bundle exporter : context.getBundles()) {
            BundleRevision exporterRevision = exporter.adapt(BundleRevision.class);
            if (exporterRevision == null) {
                continue;
            }
            for (org.osgi.resource.Capability capability
                    : exporterRevision.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (packageName.equals(capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    offered.add(capability.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE)
                            + " by " + (exporter.getBundleId() == 0 ? "the host" : BundleRef.of(exporter)));
                }
            }
        }
        return offered;
    }

    private static String describe(String filter) {
        Matcher name = PACKAGE.matcher(filter == null ? "" : filter);
        if (!name.find()) {
            return filter;
        }
        Matcher floor = FLOOR.matcher(filter);
        Matcher ceiling = CEILING.matcher(filter);
        String low = floor.find() ? floor.group(1) : null;
        String high = ceiling.find() ? ceiling.group(1) : null;
        if (low == null && high == null) {
            return name.group(1);
        }
        return name.group(1) + " (version [" + (low == null ? "0.0.0" : low) + "," + (high == null ? "inf" : high)
                + "))";
    }

    private void refuseIfDependedOn(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return;
        }
        List<String> dependents = wiring.getProvidedWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .map(BundleWire::getRequirer).map(r -> r.getBundle())
                .filter(b -> b.getBundleId() != bundle.getBundleId())
                .map(Bundle::getSymbolicName).distinct().sorted().toList();
        if (!dependents.isEmpty()) {
            throw new RecursaException("bundle " + bundle.getSymbolicName() + " is used by "
                    + String.join(", ", dependents) + "; uninstall " + (dependents.size() == 1 ? "it" : "them")
                    + " first");
        }
    }

    /** Uninstalls a bundle and waits until the framework has let go of its class loader. */
    private void remove(Bundle bundle) {
        uninstallOnly(bundle);
        refresh(bundle);
    }

    private void refresh(Bundle bundle) {
        refresh(List.of(bundle));
    }

    /** Refreshes {@code bundles} and everything wired to them, and waits until the framework is done. */
    void refresh(List<Bundle> bundles) {
        String names = String.join(", ", bundles.stream().map(Bundle::getSymbolicName).toList());
        CountDownLatch done = new CountDownLatch(1);
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new RecursaException("the framework did not finish refreshing after changing " + names
                        + " within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecursaException("interrupted while refreshing " + names, e);
        }
    }

    /** Every plugin bundle active now. */
    List<Bundle> activeBundles() {
        List<Bundle> active = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() != 0 && bundle.getState() == Bundle.ACTIVE) {
                active.add(bundle);
            }
        }
        return active;
    }

    Bundle installJar(BundleFile bundle) {
        return installIntoFramework(bundle);
    }

    /** Uninstalls a bundle without refreshing: the caller refreshes everything it changed at once. */
    void uninstallOnly(Bundle bundle) {
        try {
            bundle.uninstall();
            installedHashes.remove(bundle.getBundleId());
        } catch (BundleException | IllegalStateException e) {
            throw new RecursaException("cannot uninstall bundle " + bundle.getSymbolicName() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /* Undo steps: a failure is remembered as the bundle's start problem, never thrown over the original error. */

    void uninstallQuietly(Bundle bundle) {
        try {
            uninstallOnly(bundle);
        } catch (RuntimeException e) {
            startProblems.put(bundle.getSymbolicName(), "left in the framework after a failed change: "
                    + firstLine(e.getMessage()));
        }
    }

    Optional<Bundle> reinstallQuietly(String symbolicName, byte[] bytes) {
        try {
            return Optional.of(installBytes(LOCATION_PREFIX + symbolicName, bytes));
        } catch (BundleException | RuntimeException e) {
            startProblems.put(symbolicName, "could not be put back after a failed change: "
                    + firstLine(e.getMessage()) + "; the store is unchanged, so the next command starts it");
            return Optional.empty();
        }
    }

    void refreshQuietly(List<Bundle> bundles) {
        try {
            refresh(bundles);
        } catch (RuntimeException e) {
            // the bundles that do not come back are reported by startQuietly
        }
    }

    void startQuietly(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            startProblems.put(bundle.getSymbolicName(), "did not restart after a failed change: "
                    + firstLine(e.getMessage()) + "; the store is unchanged, so the next command starts it");
        }
    }

    void forgetProblem(String symbolicName) {
        startProblems.remove(symbolicName);
    }

    private static String stateOf(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.INSTALLED -> "installed";
            default -> "uninstalled";
        };
    }

    private static List<Path> jarsIn(Path directory) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.jar")) {
            stream.forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        jars.sort(null);
        return jars;
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new RecursaException("cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
    }
}
