package org.recursa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.recursa.api.ExtensionKind;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa plugin list}: one row per extension (and per bundle that offers none). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List installed plugins and their extensions.")
final class PluginListCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    /** A table row; rows are grouped by kind in the order of {@code recursa extensions}, library bundles last. */
    private record Row(int order, String id, String kind, String version, String bundle, String state) {
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (RecursaHost host = HostSession.open(parent.root)) {
            List<Row> rows = new ArrayList<>();
            for (PluginView plugin : host.plugins().list()) {
                String state = plugin.problem().map(p -> "failed: " + p).orElse(plugin.state());
                if (plugin.extensions().isEmpty()) {
                    rows.add(new Row(ExtensionKind.values().length, "-", "-", plugin.version(),
                            plugin.symbolicName(), state));
                }
                plugin.extensions().forEach(e -> rows.add(new Row(e.kind().ordinal(), e.id(), e.kind().label(),
                        plugin.version(), plugin.symbolicName(), state)));
            }
            rows.sort(Comparator.comparingInt(Row::order).thenComparing(Row::id).thenComparing(Row::bundle));
            if (rows.isEmpty()) {
                out.println("No plugins installed. Install one with 'recursa plugin install <bundle.jar>'.");
            } else {
                Table table = new Table("ID", "KIND", "VERSION", "BUNDLE", "STATE");
                rows.forEach(r -> table.row(r.id(), r.kind(), r.version(), r.bundle(), r.state()));
                table.print(out);
            }
        }
        out.flush();
    }
}
