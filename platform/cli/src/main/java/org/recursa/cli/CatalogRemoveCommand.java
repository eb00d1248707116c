package org.recursa.cli;

import org.recursa.client.CatalogSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa catalog remove NAME}: stop using a catalog. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove a configured catalog (installed plugins stay installed).")
final class CatalogRemoveCommand implements Runnable {

    @ParentCommand
    private CatalogCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The catalog's name, as 'recursa catalog list' shows it.")
    private String name;

    @Override
    public void run() {
        CatalogSource removed = ClientSession.config(parent.root).remove(name);
        spec.commandLine().getOut().println("removed catalog " + removed.name() + " (" + removed.location() + ")");
        spec.commandLine().getOut().flush();
    }
}
