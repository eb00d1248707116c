package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa plugin ...}: manage the plugin bundles installed in the home directory. */
@Command(name = "plugin", mixinStandardHelpOptions = true,
        description = "Search catalogs for plugins; install, list, inspect, update and uninstall plugin bundles.",
        subcommands = {PluginListCommand.class, PluginInfoCommand.class, PluginInstallCommand.class,
                PluginUninstallCommand.class, PluginUpdateCommand.class, PluginSearchCommand.class,
                PluginRollbackCommand.class, PluginHistoryCommand.class})
final class PluginCommand implements Runnable {

    @ParentCommand
    RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
