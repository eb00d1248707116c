package org.recursa.cli;

import java.io.PrintWriter;
import java.util.List;
import org.recursa.api.ExtensionKind;
import org.recursa.client.CatalogSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa plugin search QUERY [--kind K]}: the extensions the configured catalogs offer, from their verified
 * catalog.json. A hosted catalog also answers {@code GET /api/search?q=} with ranked, typo-tolerant results.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search the configured catalogs (signatures verified) for plugins: every word must occur in an "
                + "extension's id or description or its bundle's name, summary, description or keywords.")
final class PluginSearchCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "Words to find, e.g. recursion.")
    private List<String> query;

    @Option(names = "--kind", paramLabel = "KIND", converter = KindConverter.class,
            description = "Only this kind: architecture, task, sampler or compressor.")
    private ExtensionKind kind;

    @Option(names = "--offline", description = "Use the catalogs fetched before (still verified), not the network.")
    private boolean offline;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<CatalogSearch.Hit> hits = CatalogSearch.search(
                ClientSession.client(parent.root, offline).fetchAll(ClientSession.config(parent.root).list()),
                String.join(" ", query), kind == null ? null : kind.label());
        if (hits.isEmpty()) {
            out.println("no plugin matches '" + String.join(" ", query) + "'");
        } else {
            Table table = new Table("ID", "KIND", "BUNDLE", "VERSION", "SUMMARY");
            hits.forEach(h -> table.row(h.id(), h.kind(), h.plugin().bundle(), h.plugin().version(),
                    h.plugin().summary() == null ? "" : h.plugin().summary()));
            table.print(out);
        }
        out.flush();
    }
}
