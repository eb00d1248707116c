package org.recursa.cli;

import java.nio.file.Path;
import org.recursa.client.CatalogConfig;
import org.recursa.client.CatalogSource;
import org.recursa.client.VerifiedCatalog;
import org.recursa.repository.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa catalog add URL --key KEY.pub [--name N]}: trust a catalog signed with this key. The catalog is
 * fetched and verified first, so a wrong URL or key is refused now rather than at the next install.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Add a catalog: its repository URL (e.g. http://host:8080/repo/first-party/) or directory, and "
                + "the public key it must be signed with (pinned now). It must be reachable and verify with the key.")
final class CatalogAddCommand implements Runnable {

    @ParentCommand
    private CatalogCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "The repository: an http(s) URL, a file: URL or a directory.")
    private String location;

    @Option(names = "--key", required = true, paramLabel = "KEY.pub",
            description = "The public key file the catalog is signed with (one line 'ed25519 <base64>').")
    private Path key;

    @Option(names = "--name", paramLabel = "NAME", description = "Its local name (default: the URL's last segment).")
    private String name;

    @Override
    public void run() {
        CatalogConfig config = ClientSession.config(parent.root);
        // Checked before the configuration changes: a refusal leaves catalogs.json as it was.
        VerifiedCatalog verified = ClientSession.client(parent.root, false).fetch(config.candidate(location, key,
                name));
        CatalogSource added = config.add(location, key, name);
        Catalog catalog = verified.catalog();
        spec.commandLine().getOut().println("added catalog " + added.name() + ": " + added.location() + " (key id "
                + added.keyId() + "; '" + catalog.name() + "' version " + catalog.version() + ", "
                + catalog.plugins().size() + " bundle(s), signed until " + catalog.expires() + ")");
        spec.commandLine().getOut().flush();
    }
}
