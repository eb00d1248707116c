package org.recursa.cli;

import java.io.PrintWriter;
import java.util.List;
import org.recursa.runtime.PluginSetRecord;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa plugin history}: the recorded changes to the installed plugins, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List the recorded changes to the installed plugins, newest first: what successive "
                + "'recursa plugin rollback' commands undo.")
final class PluginHistoryCommand implements Runnable {

    @ParentCommand
    private PluginCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (RecursaHost host = HostSession.open(parent.root)) {
            List<PluginSetRecord> records = host.plugins().history();
            if (records.isEmpty()) {
                out.println("no changes recorded yet");
            }
            for (int i = 0; i < records.size(); i++) {
                PluginSetRecord record = records.get(i);
                out.println((i + 1) + "  " + record.at() + "  " + record.reason() + "  (before it: "
                        + record.bundles().size() + " bundles)");
            }
        }
        out.flush();
    }
}
