package org.recursa.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.recursa.api.ExtensionKind;
import org.recursa.runtime.ExtensionEntry;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code recursa extensions [--kind K]}: what the registry holds, grouped by kind. */
@Command(name = "extensions", mixinStandardHelpOptions = true,
        description = "List the architectures, tasks, samplers and compressors of the installed plugins.")
final class ExtensionsCommand implements Runnable {

    @ParentCommand
    private RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Option(names = "--kind", paramLabel = "KIND", converter = KindConverter.class,
            description = "Only this kind: architecture, task, sampler or compressor.")
    private ExtensionKind kind;

    @Override
    public void run() {
        List<ExtensionKind> kinds = kind == null ? List.of(ExtensionKind.values()) : List.of(kind);
        PrintWriter out = spec.commandLine().getOut();
        try (RecursaHost host = HostSession.open(root)) {
            for (int i = 0; i < kinds.size(); i++) {
                ExtensionKind k = kinds.get(i);
                out.println(k.label().toUpperCase(Locale.ROOT) + "S");
                List<ExtensionEntry> entries = host.registry().list(k);
                if (entries.isEmpty()) {
                    out.println("  (none installed)");
                }
                Table table = new Table("  ID", "DESCRIPTION", "BUNDLE");
                entries.forEach(e -> table.row("  " + e.id(), e.description(), e.bundle()));
                if (!table.isEmpty()) {
                    table.print(out);
                }
                if (i < kinds.size() - 1) {
                    out.println();
                }
            }
            warnAboutFailures(host);
        }
        out.flush();
    }

    private void warnAboutFailures(RecursaHost host) {
        host.plugins().list().stream().filter(p -> p.problem().isPresent()).forEach(p ->
                spec.commandLine().getErr().println("warning: plugin " + p.symbolicName() + " failed: "
                        + p.problem().get()));
        spec.commandLine().getErr().flush();
    }
}
