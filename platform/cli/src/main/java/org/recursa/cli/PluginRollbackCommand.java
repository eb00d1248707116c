package org.recursa.cli;

import java.io.PrintWriter;
import org.recursa.runtime.PluginSetResult;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa plugin rollback}: returns to the installed set before the last install, update or uninstall. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Return to the plugins installed before the last install, update or uninstall ('recursa plugin "
                + "history' lists them), in one step.",
                "Running it again goes one change further back. The jars come from the store's own history, so no "
                        + "network is needed."})
final class PluginRollbackCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (RecursaHost host = HostSession.open(parent.root)) {
            var history = host.plugins().history();
            PluginSetResult result = host.plugins().rollback(); // refuses first if there is no history
            String undone = history.get(0).reason();
            out.println("rolled back '" + undone + "'");
            for (PluginView view : result.removed()) {
                boolean replaced = result.added().stream().anyMatch(a -> a.symbolicName().equals(view.symbolicName()));
                if (!replaced) {
                    out.println("  uninstalled " + view.symbolicName() + " " + view.version());
                }
            }
            for (PluginView view : result.added()) {
                String was = result.removed().stream().filter(r -> r.symbolicName().equals(view.symbolicName()))
                        .map(r -> r.version() + " -> ").findFirst().orElse("");
                out.println("  " + (was.isEmpty() ? "installed " : "restored ") + view.symbolicName() + " " + was
                        + view.version() + PluginInstallCommand.describe(view));
            }
        }
        out.flush();
    }
}
