package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa catalog ...}: the signed plugin repositories a catalog serves and clients verify. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Plugin catalogs: make a signing key, sign a repository directory, serve repositories with "
                + "search over HTTP, publish a bundle to a server; add, list and remove the catalogs plugin search "
                + "and install use.",
        subcommands = {CatalogKeygenCommand.class, CatalogSignCommand.class, CatalogServeCommand.class,
                CatalogPublishCommand.class, CatalogAddCommand.class, CatalogListCommand.class,
                CatalogRemoveCommand.class})
final class CatalogCommand implements Runnable {

    @ParentCommand
    RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
