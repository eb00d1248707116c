package org.recursa.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.recursa.runstore.AtomicFiles;

/**
 * Applies a {@link PluginSetChange} as one step. First in the framework: the removed bundles leave, the new ones are
 * installed, the framework refreshes (bundles wired to a removed one are re-resolved and restarted), the new bundles
 * start and pass the install checks, and every bundle that was active before must be active again. Only then the
 * store: the new jars are copied in and the journal is written once, under the store lock, after checking that no
 * other process changed the bundles involved meanwhile; the jars that left are kept for rollback. If anything fails,
 * the framework is put back as it was and the store is not touched.
 */
final class PluginSetTransaction {

    private final PluginStore store;
    private final PluginJournal journal;
    private final Path dir;
    private final PluginSetChange change;
    private final Map<String, PluginJournal.Entry> removing = new LinkedHashMap<>();
    private final List<BundleFile> adding = new ArrayList<>();
    private final Map<String, PluginJournal.Origin> origins;
    /** The bytes of every removed bundle that was in the framework, to put it back with. */
    private final Map<String, byte[]> removedBytes = new LinkedHashMap<>();
    private final Set<String> removedActive = new HashSet<>();
    private final List<Bundle> installed = new ArrayList<>();
    private final Runnable afterSave;

    /**
     * @param origins where each added bundle comes from, by symbolic name (rollback restores the distribution's);
     *                absent means the user's
     * @param afterSave runs under the store lock once the journal is saved, before any old jar is moved; if it throws,
     *                  the change is undone
     */
    PluginSetTransaction(PluginStore store, PluginJournal journal, Path dir, PluginSetChange change,
            Map<String, PluginJournal.Origin> origins, Runnable afterSave) {
        this.afterSave = afterSave;
        this.store = store;
        this.journal = journal;
        this.dir = dir;
        this.change = change;
        this.origins = origins;
    }

    PluginSetResult apply() {
        check();
        List<PluginView> removedViews = removing.values().stream().map(store::view).toList();
        List<Bundle> activeBefore = store.activeBundles();
        try {
            changeFramework(activeBefore);
        } catch (RuntimeException e) {
            undoFramework(activeBefore);
            throw e;
        }
        try {
            journal.update(change.reason(), () -> {
                changeStore();
                return null;
            });
        } catch (RuntimeException e) {
            undoFramework(activeBefore);
            throw e;
        }
        removing.keySet().forEach(store::forgetProblem);
        List<PluginView> addedViews = adding.stream()
                .map(b -> store.view(journal.bySymbolicName(b.symbolicName()).orElseThrow())).toList();
        return new PluginSetResult(removedViews, addedViews);
    }

    /** Everything that can be known before the framework changes. */
    private void check() {
        for (String name : change.remove()) {
            PluginJournal.Entry entry = journal.bySymbolicName(name).orElseThrow(() -> new UsageException(
                    "bundle " + name + " is not installed; 'recursa plugin list' shows what is"));
            removing.put(name, entry);
        }
        Set<String> names = new HashSet<>();
        for (PluginSetChange.Addition addition : change.add()) {
            BundleFile bundle = BundleFile.read(addition.jar());
            if (!names.add(bundle.symbolicName())) {
                throw new UsageException("bundle " + bundle.symbolicName() + " is added twice in one change");
            }
            journal.bySymbolicName(bundle.symbolicName()).filter(e -> !removing.containsKey(e.symbolicName()))
                    .ifPresent(existing -> {
                        throw new RecursaException("bundle " + bundle.symbolicName() + " is already installed "
                                + "(version " + existing.version() + "); update or uninstall it instead");
                    });
            adding.add(bundle);
        }
    }

    private void changeFramework(List<Bundle> activeBefore) {
        List<Bundle> touched = new ArrayList<>();
        for (PluginJournal.Entry entry : removing.values()) {
            Optional<Bundle> live = store.live(entry.symbolicName());
            if (live.isPresent()) {
                removedBytes.put(entry.symbolicName(), store.storedBytes(live.get(), entry));
                if (live.get().getState() == Bundle.ACTIVE) {
                    removedActive.add(entry.symbolicName());
                }
                store.uninstallOnly(live.get());
                touched.add(live.get());
            }
        }
        for (BundleFile bundle : adding) {
            Bundle added = store.installJar(bundle);
            installed.add(added);
            touched.add(added);
        }
        if (!touched.isEmpty()) {
            store.refresh(touched);
        }
        for (Bundle bundle : installed) {
            store.start(bundle);
            store.requireConforming(bundle);
        }
        for (Bundle bundle : activeBefore) {
            boolean leaving = removing.containsKey(bundle.getSymbolicName());
            if (!leaving && bundle.getState() != Bundle.ACTIVE) {
                restart(bundle);
            }
        }
    }

    /** A bundle the refresh stopped must start again with the new providers, or the change is refused. */
    private void restart(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | IllegalStateException e) {
            throw new RecursaException("bundle " + BundleRef.of(bundle) + " would stop working: "
                    + store.unresolvedReason(bundle, e) + "; nothing was changed", e);
        }
    }

    /** Puts the framework back: the new bundles leave, the removed ones return, the others restart. */
    private void undoFramework(List<Bundle> activeBefore) {
        List<Bundle> touched = new ArrayList<>();
        for (Bundle bundle : installed) {
            if (bundle.getState() != Bundle.UNINSTALLED) {
                store.uninstallQuietly(bundle);
                touched.add(bundle);
            }
        }
        List<Bundle> returned = new ArrayList<>();
        removedBytes.forEach((name, bytes) -> store.reinstallQuietly(name, bytes).ifPresent(b -> {
            returned.add(b);
            touched.add(b);
        }));
        if (!touched.isEmpty()) {
            store.refreshQuietly(touched);
        }
        for (Bundle bundle : returned) {
            if (removedActive.contains(bundle.getSymbolicName())) {
                store.startQuietly(bundle);
            }
        }
        for (Bundle bundle : activeBefore) {
            if (bundle.getState() == Bundle.RESOLVED || bundle.getState() == Bundle.INSTALLED) {
                store.startQuietly(bundle);
            }
        }
    }

    /**
     * Inside the store lock: the bundles involved must be as this command read them; the new jars are copied in,
     * the journal written once, then the jars that left are kept for rollback.
     */
    private void changeStore() {
        for (PluginJournal.Entry entry : removing.values()) {
            Optional<PluginJournal.Entry> now = journal.bySymbolicName(entry.symbolicName());
            if (now.isEmpty() || !now.get().sha256().equals(entry.sha256())) {
                throw new RecursaException("another recursa process changed " + entry.symbolicName() + " meanwhile; "
                        + "nothing was changed; run the command again");
            }
        }
        for (BundleFile bundle : adding) {
            if (journal.bySymbolicName(bundle.symbolicName()).isPresent()
                    && !removing.containsKey(bundle.symbolicName())) {
                throw new RecursaException("another recursa process installed " + bundle.symbolicName()
                        + " meanwhile; nothing was changed");
            }
        }
        Set<Path> stillUsed = new HashSet<>();
        adding.forEach(b -> StorePaths.inside(dir, b.storeName()).ifPresent(stillUsed::add));
        for (PluginJournal.Entry entry : removing.values()) {
            // A jar the new one overwrites (same file name) is copied into the history first.
            StorePaths.inside(dir, entry.file()).filter(stillUsed::contains)
                    .ifPresent(jar -> journal.history().keepCopy(jar, entry.sha256()));
        }
        List<Path> copied = new ArrayList<>();
        Map<Path, byte[]> overwritten = new LinkedHashMap<>();
        List<PluginJournal.Entry> before = journal.entries();
        boolean saved = false;
        try {
            List<PluginJournal.Entry> entries = new ArrayList<>(journal.entries());
            entries.removeIf(e -> removing.containsKey(e.symbolicName()));
            for (int i = 0; i < adding.size(); i++) {
                BundleFile bundle = adding.get(i);
                Path target = StorePaths.inside(dir, bundle.storeName()).orElseThrow(() -> new RecursaException(
                        "store name " + bundle.storeName() + " is not a plain file name"));
                if (Files.exists(target)) {
                    overwritten.put(target, PluginStore.readBytes(target));
                } else {
                    copied.add(target);
                }
                AtomicFiles.copy(bundle.path(), target);
                boolean dependency = change.add().get(i).dependency();
                entries.add(new PluginJournal.Entry(bundle.storeName(), bundle.symbolicName(), bundle.version(),
                        bundle.sha256(), origins.getOrDefault(bundle.symbolicName(), PluginJournal.Origin.USER),
                        Instant.now().toString(), dependency ? Boolean.TRUE : null));
            }
            journal.replaceAll(entries);
            saved = true;
            afterSave.run();
        } catch (RuntimeException e) {
            if (saved) {
                journal.replaceAll(before);
            }
            copied.forEach(AtomicFiles::deleteQuietly);
            overwritten.forEach(AtomicFiles::write);
            throw e;
        }
        // Only now, with nothing left to undo: the jars that left move into the history.
        for (PluginJournal.Entry entry : removing.values()) {
            StorePaths.inside(dir, entry.file()).filter(jar -> !stillUsed.contains(jar))
                    .ifPresent(jar -> journal.history().keep(jar, entry.sha256()));
        }
    }
}
