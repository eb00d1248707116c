package org.recursa.cli;

import java.io.PrintWriter;
import org.recursa.runtime.PluginSetResult;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa plugin uninstall ID}: removes the bundle that offers an extension (or is named so), and the bundles
 * that were installed only as its dependencies and that nothing else needs, in one step.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = {"Uninstall the plugin bundle that offers extension ID (or whose symbolic name is ID).",
                "Bundles installed only because it needed them go too, unless another plugin still needs them. "
                        + "'recursa plugin rollback' undoes it."})
final class PluginUninstallCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "An extension id (e.g. copy) or a bundle symbolic name.")
    private String target;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (RecursaHost host = HostSession.open(parent.root)) {
            PluginSetResult result = host.plugins().uninstallWithUnneeded(target);
            for (PluginView removed : result.removed()) {
                out.println("uninstalled " + removed.symbolicName() + " " + removed.version()
                        + PluginInstallCommand.describe(removed)
                        + (removed == result.removed().get(0) ? "" : " (no longer needed)"));
            }
        }
        out.flush();
    }
}
