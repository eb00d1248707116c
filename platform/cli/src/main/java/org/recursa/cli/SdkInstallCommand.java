package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.recursa.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recursa sdk install}: puts the SDK into the local Maven repository, as {@code mvn install} would. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Copy the SDK into your local Maven repository, so that a plugin project (or "
                + "mvn archetype:generate) resolves org.recursa artifacts offline.",
            "Prints each artifact as installed, updated (naming the files that differed) or unchanged."})
final class SdkInstallCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = "--local-repo", paramLabel = "DIR",
            description = "The local repository. Default: <localRepository> of ~/.m2/settings.xml, "
                    + "else ~/.m2/repository.")
    private Path localRepo;

    @Override
    public void run() {
        if (localRepo != null && Files.exists(localRepo) && !Files.isDirectory(localRepo)) {
            throw new UsageException("--local-repo " + localRepo + " is a file; give a directory (it is created "
                    + "if missing)");
        }
        SdkRepository sdk = SdkRepository.ofDistribution();
        Path target = localRepo != null ? localRepo : MavenLocalRepository.ofUser(
                Path.of(System.getProperty("user.home")), System.getenv());
        List<SdkInstaller.Outcome> outcomes = SdkInstaller.install(sdk, target);
        PrintWriter out = spec.commandLine().getOut();
        outcomes.forEach(outcome -> out.println(outcome.line()));
        out.println(SdkInstaller.summary(outcomes, target.toAbsolutePath().normalize()));
        out.flush();
    }
}
