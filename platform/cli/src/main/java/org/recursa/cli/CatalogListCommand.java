package org.recursa.cli;

import java.io.PrintWriter;
import java.util.List;
import org.recursa.client.CatalogSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa catalog list}: the catalogs plugin search and install use. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the configured catalogs with their locations and pinned key ids.")
final class CatalogListCommand implements Runnable {

    @ParentCommand
    private CatalogCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<CatalogSource> sources = ClientSession.config(parent.root).list();
        if (sources.isEmpty()) {
            out.println("no catalogs configured; add one with 'recursa catalog add URL --key KEY.pub'");
        } else {
            Table table = new Table("NAME", "KEY", "LOCATION");
            sources.forEach(s -> table.row(s.name(), s.keyId(), s.location()));
            table.print(out);
        }
        out.flush();
    }
}
