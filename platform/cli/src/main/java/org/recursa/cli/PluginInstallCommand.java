package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.recursa.runtime.BundleFile;
import org.recursa.runtime.PluginView;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa plugin install JAR}: checks, starts and records a plugin bundle. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install a plugin bundle from a jar file. Nothing changes unless it starts cleanly.")
final class PluginInstallCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "JAR", description = "The plugin bundle (.jar) to install.")
    private Path jar;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        BundleFile.requireFile(jar); // a wrong path is refused before the host starts (and touches the home)
        try (RecursaHost host = HostSession.open(parent.root)) {
            PluginView plugin = host.plugins().install(jar);
            out.println("installed " + plugin.symbolicName() + " " + plugin.version() + describe(plugin));
        }
        out.flush();
    }

    static String describe(PluginView plugin) {
        if (plugin.extensions().isEmpty()) {
            return " (a library bundle: it offers no extensions)";
        }
        return ": " + String.join(", ", plugin.extensions().stream()
                .map(e -> e.kind().label() + " " + e.id()).toList());
    }
}
