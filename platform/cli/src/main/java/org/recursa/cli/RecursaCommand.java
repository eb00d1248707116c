package org.recursa.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options and the list of verbs. */
@Command(name = "recursa", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A plugin platform for research on recursive (looped, weight-shared) transformers.",
        subcommands = {RunCommand.class, EvalCommand.class, CompressCommand.class, SweepCommand.class, RunsCommand.class,
                TracesCommand.class, ReportCommand.class, ProbeCommand.class, IndexCommand.class,
                ExtensionsCommand.class, PluginCommand.class, CatalogCommand.class, SdkCommand.class,
                BenchCommand.class},
        footer = {"", "State lives in --home, else $RECURSA_HOME, else ~/.recursa."})
public final class RecursaCommand implements Runnable {

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "State directory (plugins, runs, index). Default: $RECURSA_HOME or ~/.recursa.")
    private Path home;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    private boolean verbose;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Optional<Path> home() {
        return Optional.ofNullable(home);
    }

    boolean verbose() {
        return verbose;
    }
}
