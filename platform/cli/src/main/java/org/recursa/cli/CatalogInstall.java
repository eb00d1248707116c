package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recursa.client.CatalogClient;
import org.recursa.client.CatalogIndex;
import org.recursa.client.InstallPlan;
import org.recursa.client.PluginNotFoundException;
import org.recursa.client.VerifiedCatalog;
import org.recursa.runtime.PluginSetChange;
import org.recursa.runtime.PluginSetResult;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.UsageException;

/**
 * Installs or updates from the configured catalogs: the framework's resolver plans the bundles over the signed
 * indexes ({@link InstallPlan}), the plan is printed, every jar is downloaded into the cache and checked against the
 * signed catalog before the store is touched, and the store makes the whole change as one step
 * ({@code PluginStore.apply}): if any bundle fails to start or to pass the install checks, nothing is installed.
 */
final class CatalogInstall {

    private final CatalogClient client;
    private final List<CatalogIndex> indexes;
    private final PrintWriter out;
    private final PrintWriter err;

    CatalogInstall(CatalogClient client, List<VerifiedCatalog> catalogs, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.indexes = client.indexes(catalogs);
        this.out = out;
        this.err = err;
    }

    /** @param target {@code ID} or {@code ID@VERSION} */
    void install(RecursaHost host, String target) {
        int at = target.indexOf('@');
        String id = at < 0 ? target : target.substring(0, at);
        String version = at < 0 ? null : target.substring(at + 1);
        InstallPlan plan;
        try {
            plan = InstallPlan.install(indexes, id, version, host.plugins().wirings());
        } catch (PluginNotFoundException e) {
            throw new UsageException(e.getMessage(), e);
        }
        out.println("plan: install " + plan.steps().size() + " bundle(s), dependencies first:");
        InstallPlan.Step asked = plan.steps().get(plan.steps().size() - 1);
        int needed = plan.steps().size() - 1;
        PluginSetResult result = apply(host, plan, List.of(), "install " + asked.plugin().bundle() + " "
                + asked.plugin().version() + (needed == 0 ? "" : " with " + needed + " bundle(s) it needs"));
        result.added().forEach(view -> out.println("installed " + view.symbolicName() + " " + view.version()
                + PluginInstallCommand.describe(view)));
    }

    /**
     * Updates the installed bundle {@code bundle} to the highest version the catalogs offer (or {@code version}).
     *
     * @param sayIfNewest print a line when there is nothing newer
     * @return whether anything changed
     */
    boolean update(RecursaHost host, PluginView installed, String version, boolean sayIfNewest) {
        InstallPlan plan;
        try {
            plan = InstallPlan.update(indexes, installed.symbolicName(), installed.version(), version,
                    host.plugins().wirings());
        } catch (PluginNotFoundException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (plan.steps().isEmpty()) {
            if (sayIfNewest) {
                out.println(installed.symbolicName() + " " + installed.version() + " is the newest version the "
                        + "catalogs offer");
            }
            return false;
        }
        out.println("plan: update " + installed.symbolicName() + " " + installed.version() + " -> "
                + plan.steps().get(plan.steps().size() - 1).plugin().version()
                + (plan.steps().size() > 1 ? ", installing " + (plan.steps().size() - 1) + " bundle(s) it needs" : "")
                + ":");
        PluginSetResult result = apply(host, plan, List.of(installed.symbolicName()), "update "
                + installed.symbolicName() + " " + installed.version());
        for (PluginView view : result.added()) {
            out.println((view.symbolicName().equals(installed.symbolicName()) ? "updated " + view.symbolicName() + " "
                    + installed.version() + " -> " + view.version() : "installed " + view.symbolicName() + " "
                    + view.version()) + PluginInstallCommand.describe(view));
        }
        return true;
    }

    /** Whether some catalog offers the bundle {@code symbolicName}. */
    boolean offers(String symbolicName) {
        return indexes.stream().anyMatch(i -> i.plugins().values().stream()
                .anyMatch(p -> p.bundle().equals(symbolicName)));
    }

    private PluginSetResult apply(RecursaHost host, InstallPlan plan, List<String> replacing, String reason) {
        plan.steps().forEach(s -> out.println("  " + s.plugin().bundle() + " " + s.plugin().version() + " from "
                + s.from().source().name() + " (" + ProgressBar.bytes(s.plugin().size()) + ")"
                + (s.dependency() ? ", needed by the bundle asked for" : "")));
        out.flush();
        List<PluginSetChange.Addition> additions = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.onConsole(err)) {
            for (InstallPlan.Step step : plan.steps()) {
                Path jar = client.jar(step.from(), step.plugin(), bar); // every jar checked before the store changes
                additions.add(new PluginSetChange.Addition(jar, step.dependency()));
            }
        }
        return host.plugins().apply(new PluginSetChange(reason, replacing, additions));
    }
}
