package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.recursa.client.CatalogClient;
import org.recursa.client.VerifiedCatalog;
import org.recursa.runtime.BundleFile;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa plugin install JAR | ID[@VERSION]}: checks, starts and records a plugin bundle from a file, or from
 * the configured catalogs with the bundles it requires.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install a plugin bundle from a jar file, or by extension id or bundle name from the configured "
                + "catalogs (with the bundles it requires). Nothing changes unless everything starts cleanly.")
final class PluginInstallCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "JAR|ID[@VERSION]",
            description = "A plugin bundle (.jar) to install, or an extension id or bundle name from a catalog.")
    private String target;

    @Option(names = "--offline", description = "Install from the download cache only (catalogs still verified).")
    private boolean offline;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (isFile(target)) {
            Path jar = Path.of(target);
            BundleFile.requireFile(jar); // a wrong path is refused before the host starts (and touches the home)
            try (RecursaHost host = HostSession.open(parent.root)) {
                PluginView plugin = host.plugins().install(jar);
                out.println("installed " + plugin.symbolicName() + " " + plugin.version() + describe(plugin));
            }
        } else {
            CatalogClient client = ClientSession.client(parent.root, offline);
            // Catalogs are verified before the host starts: a refused catalog touches nothing in the home's store.
            List<VerifiedCatalog> catalogs = client.fetchAll(ClientSession.config(parent.root).list());
            try (RecursaHost host = HostSession.open(parent.root)) {
                new CatalogInstall(client, catalogs, out, spec.commandLine().getErr()).install(host, target);
            }
        }
        out.flush();
    }

    /** A jar path rather than an id: ids have no '/', do not end in .jar and name no file here. */
    static boolean isFile(String target) {
        return target.endsWith(".jar") || target.indexOf('/') >= 0 || target.indexOf('\\') >= 0
                || Files.exists(Path.of(target));
    }

    static String describe(PluginView plugin) {
        if (plugin.extensions().isEmpty()) {
            return " (a library bundle: it offers no extensions)";
        }
        return ": " + String.join(", ", plugin.extensions().stream()
                .map(e -> e.kind().label() + " " + e.id()).toList());
    }
}
