package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.recursa.client.CatalogClient;
import org.recursa.client.InstallPlan;
import org.recursa.client.PluginNotFoundException;
import org.recursa.client.VerifiedCatalog;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.UsageException;

/**
 * Installs an extension id or bundle name from the configured catalogs: verifies them, plans the closure of
 * {@code requires} not yet installed, downloads and checks every jar before the store is touched, then installs them
 * dependencies first through the store's own install (its checks run for each). If one fails, the bundles this
 * command installed are uninstalled again, newest first: nothing is left half installed.
 */
final class CatalogInstall {

    private final CatalogClient client;
    private final List<VerifiedCatalog> catalogs;
    private final PrintWriter out;

    CatalogInstall(CatalogClient client, List<VerifiedCatalog> catalogs, PrintWriter out) {
        this.client = client;
        this.catalogs = catalogs;
        this.out = out;
    }

    /** @param target {@code ID} or {@code ID@VERSION} */
    void install(RecursaHost host, String target) {
        int at = target.indexOf('@');
        String id = at < 0 ? target : target.substring(0, at);
        String version = at < 0 ? null : target.substring(at + 1);
        Map<String, String> installed = host.plugins().list().stream()
                .collect(Collectors.toMap(PluginView::symbolicName, PluginView::version));
        InstallPlan plan;
        try {
            plan = InstallPlan.of(catalogs, id, version, installed);
        } catch (PluginNotFoundException e) {
            throw new UsageException(e.getMessage(), e);
        }
        out.println("plan: install " + plan.steps().size() + " bundle(s), dependencies first:");
        plan.steps().forEach(s -> out.println("  " + s.plugin().bundle() + " " + s.plugin().version() + " from "
                + s.from().source().name() + " (" + s.plugin().size() + " bytes)"));
        out.flush();
        List<Path> jars = new ArrayList<>();
        for (InstallPlan.Step step : plan.steps()) {
            jars.add(client.jar(step.from(), step.plugin())); // every jar checked before the store changes
        }
        List<String> done = new ArrayList<>();
        for (int i = 0; i < jars.size(); i++) {
            String bundle = plan.steps().get(i).plugin().bundle();
            try {
                PluginView view = host.plugins().install(jars.get(i));
                done.add(view.symbolicName());
                out.println("installed " + view.symbolicName() + " " + view.version()
                        + PluginInstallCommand.describe(view));
            } catch (RuntimeException e) {
                undo(host, done);
                throw new RecursaException("installing " + bundle + " failed: " + Main.oneLine(e)
                        + (done.isEmpty() ? "; nothing was installed" : "; uninstalled what this command had "
                        + "installed (" + String.join(", ", done) + ")"), e);
            }
        }
        out.flush();
    }

    private static void undo(RecursaHost host, List<String> done) {
        for (int i = done.size() - 1; i >= 0; i--) {
            try {
                host.plugins().uninstall(done.get(i));
            } catch (RuntimeException ignored) {
                // keep undoing the others; the message names every bundle this command installed
            }
        }
    }
}
