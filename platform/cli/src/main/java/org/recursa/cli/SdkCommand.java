package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recursa sdk ...}: the Maven repository plugin authors build against, shipped in the distribution's sdk/. */
@Command(name = "sdk", mixinStandardHelpOptions = true,
        description = "The SDK for writing plugins: the API, engine, TCK, BOM, plugin parent POM and archetype.",
        subcommands = {SdkInstallCommand.class, SdkPathCommand.class})
final class SdkCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
