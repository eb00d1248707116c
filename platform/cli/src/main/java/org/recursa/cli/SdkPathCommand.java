package org.recursa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recursa sdk path}: where the SDK repository is, for a POM's {@code <repository>} instead of installing. */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Print the SDK's Maven repository directory (for a <repository> with a file:// URL).")
final class SdkPathCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println(SdkRepository.ofDistribution().root());
        spec.commandLine().getOut().flush();
    }
}
