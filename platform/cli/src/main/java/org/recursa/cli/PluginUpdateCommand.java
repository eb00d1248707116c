package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.recursa.runtime.BundleFile;
import org.recursa.runtime.PluginUpdate;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa plugin update [ID] JAR}: replaces an installed bundle by a new jar of it, in one step. Like Karaf's
 * {@code bundle:update ID URL}, the new code is named explicitly; there is no catalog to fetch it from by id alone.
 */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Replace an installed plugin bundle by a jar with the same symbolic name and another "
                + "version.", "The new bundle must resolve and start before the old one is removed; if it does not, "
                + "nothing changes."})
final class PluginUpdateCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "[ID] JAR", arity = "1..2", description = {"The new plugin bundle (.jar), optionally "
            + "after the extension id or bundle symbolic name it must replace (e.g. copy my-copy-0.2.0.jar)."})
    private List<String> arguments;

    @Option(names = "--force", description = "Replace the bundle even if the jar has the installed version.")
    private boolean force;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        String target = arguments.size() == 2 ? arguments.get(0) : null;
        Path jar = Path.of(arguments.get(arguments.size() - 1));
        if (target == null && !arguments.get(0).endsWith(".jar") && !Files.exists(jar)) {
            throw new UsageException("'" + arguments.get(0) + "' is not a jar file: updating by id alone needs a "
                    + "plugin catalog, which Recursa does not have yet; pass the new jar, e.g. 'recursa plugin update "
                    + arguments.get(0) + " path/to/new.jar'");
        }
        BundleFile.requireFile(jar); // a wrong path is refused before the host starts (and touches the home)
        try (RecursaHost host = HostSession.open(parent.root)) {
            PluginUpdate update = host.plugins().update(target, jar, force);
            out.println("updated " + update.after().symbolicName() + " " + update.before().version() + " -> "
                    + update.after().version() + PluginInstallCommand.describe(update.after()));
        }
        out.flush();
    }
}
