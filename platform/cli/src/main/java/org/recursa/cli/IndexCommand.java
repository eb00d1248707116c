package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recursa index}: maintenance of the run index. */
@Command(name = "index", mixinStandardHelpOptions = true, description = "Maintain the run index.",
        subcommands = {IndexRebuildCommand.class})
final class IndexCommand implements Runnable {

    @picocli.CommandLine.ParentCommand
    RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
