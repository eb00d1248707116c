package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.recursa.client.CatalogClient;
import org.recursa.client.VerifiedCatalog;
import org.recursa.runtime.BundleFile;
import org.recursa.runtime.PluginUpdate;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa plugin update [ID[@VERSION]] [JAR]}: replaces an installed bundle by a newer one from the configured
 * catalogs (every installed bundle they offer a newer version of, when no id is given), or by a jar file named
 * explicitly, like Karaf's {@code bundle:update ID URL}. Each bundle's update is one step: the new version (with any
 * bundle it newly needs) starts and passes the install checks before the old one is gone, or nothing changes.
 */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Update installed plugin bundles from the configured catalogs: all of them, or the one that "
                + "offers extension ID (or is named ID), to the newest version or to VERSION.",
                "With a jar file, replace the bundle by that jar instead. The new bundle must resolve and start before "
                        + "the old one is removed; if it does not, nothing changes."})
final class PluginUpdateCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "[ID[@VERSION]] [JAR]", arity = "0..2", description = {"An extension id or bundle "
            + "symbolic name to update from the catalogs, optionally @VERSION; and/or a new plugin bundle (.jar) to "
            + "replace it by (e.g. copy my-copy-0.2.0.jar)."})
    private List<String> arguments = List.of();

    @Option(names = "--force", description = "With a jar: replace the bundle even if the jar has the installed "
            + "version.")
    private boolean force;

    @Option(names = "--offline", description = "Update from the download cache only (catalogs still verified).")
    private boolean offline;

    @Override
    public void run() {
        String last = arguments.isEmpty() ? null : arguments.get(arguments.size() - 1);
        if (last != null && PluginInstallCommand.isFile(last)) {
            updateFromJar(arguments.size() == 2 ? arguments.get(0) : null, Path.of(last));
        } else if (arguments.size() == 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "'" + last + "' is not a jar file: "
                    + "pass an id to update from the catalogs, or an id and the new jar");
        } else {
            updateFromCatalogs(last);
        }
        spec.commandLine().getOut().flush();
    }

    private void updateFromJar(String target, Path jar) {
        BundleFile.requireFile(jar); // a wrong path is refused before the host starts (and touches the home)
        try (RecursaHost host = HostSession.open(parent.root)) {
            PluginUpdate update = host.plugins().update(target, jar, force);
            spec.commandLine().getOut().println("updated " + update.after().symbolicName() + " "
                    + update.before().version() + " -> " + update.after().version()
                    + PluginInstallCommand.describe(update.after()));
        }
    }

    private void updateFromCatalogs(String target) {
        PrintWriter out = spec.commandLine().getOut();
        CatalogClient client = ClientSession.client(parent.root, offline);
        List<VerifiedCatalog> catalogs = client.fetchAll(ClientSession.config(parent.root).list());
        try (RecursaHost host = HostSession.open(parent.root)) {
            CatalogInstall install = new CatalogInstall(client, catalogs, out, spec.commandLine().getErr());
            if (target != null) {
                int at = target.indexOf('@');
                PluginView installed = host.plugins().info(at < 0 ? target : target.substring(0, at));
                install.update(host, installed, at < 0 ? null : target.substring(at + 1), true);
                return;
            }
            int updated = 0;
            for (PluginView installed : host.plugins().list()) {
                if (install.offers(installed.symbolicName()) && install.update(host, installed, null, false)) {
                    updated++;
                }
            }
            out.println(updated == 0 ? "every installed bundle the catalogs offer is at its newest version"
                    : "updated " + updated + " bundle(s)");
        }
    }
}
