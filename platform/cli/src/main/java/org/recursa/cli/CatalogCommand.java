package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recursa catalog ...}: plugin catalogs, the repositories plugins are installed from. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Plugin catalogs: serve repositories of plugin bundles with search over HTTP.",
        subcommands = {CatalogServeCommand.class})
final class CatalogCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
