package org.recursa.cli;

import java.nio.file.Path;
import org.recursa.client.CatalogSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa catalog add URL --key KEY.pub [--name N]}: trust a catalog signed with this key. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Add a catalog: its repository URL (e.g. http://host:8080/repo/first-party/) or directory, and "
                + "the public key it must be signed with (pinned now).")
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
        CatalogSource added = ClientSession.config(parent.root).add(location, key, name);
        spec.commandLine().getOut().println("added catalog " + added.name() + ": " + added.location() + " (key id "
                + added.keyId() + ")");
        spec.commandLine().getOut().flush();
    }
}
