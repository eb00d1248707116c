package org.recursa.cli;

import java.io.PrintWriter;
import org.recursa.api.Setting;
import org.recursa.runtime.ExtensionEntry;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa plugin info ID}: a plugin's bundle, file, checksum, extensions and their settings. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show an installed plugin: bundle, file, checksum, extensions and their settings.")
final class PluginInfoCommand implements Runnable {

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
            PluginView plugin = host.plugins().info(target);
            out.println("bundle:       " + plugin.symbolicName() + " " + plugin.version());
            out.println("state:        " + plugin.state());
            plugin.problem().ifPresent(p -> out.println("problem:      " + p));
            out.println("file:         " + plugin.file());
            out.println("sha256:       " + plugin.sha256());
            out.println("origin:       " + plugin.origin());
            out.println("installed at: " + plugin.installedAt());
            for (ExtensionEntry extension : plugin.extensions()) {
                printExtension(out, extension);
            }
        }
        out.flush();
    }

    private static void printExtension(PrintWriter out, ExtensionEntry extension) {
        out.println();
        out.println(extension.kind().label() + " " + extension.id() + ": " + extension.description());
        if (extension.extension().schema().settings().isEmpty()) {
            out.println("  (no settings)");
            return;
        }
        Table table = new Table("  SETTING", "DEFAULT", "ACCEPTS", "DESCRIPTION");
        for (Setting setting : extension.extension().schema().settings()) {
            table.row("  " + setting.key(), setting.defaultValue(), setting.accepted(), setting.description());
        }
        table.print(out);
    }
}
