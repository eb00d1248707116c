package org.recursa.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.recursa.repository.Ed25519Keys;
import org.recursa.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recursa catalog keygen --out NAME}: a new Ed25519 signing key, NAME.key (owner-only) and NAME.pub. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generate an Ed25519 signing key: NAME.key (private, readable by you only) and NAME.pub.")
final class CatalogKeygenCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "NAME",
            description = "Path and base name of the key files, e.g. keys/release (writes release.key, release.pub).")
    private Path out;

    @Override
    public void run() {
        for (Path file : new Path[] {Ed25519Keys.privateFile(out), Ed25519Keys.publicFile(out)}) {
            if (Files.exists(file)) {
                throw new UsageException(file + " already exists; choose another --out or remove it");
            }
        }
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.write(pair, out);
        spec.commandLine().getOut().println("wrote " + Ed25519Keys.privateFile(out) + " (private, keep it secret) and "
                + Ed25519Keys.publicFile(out) + "; key id " + Ed25519Keys.keyId(pair.getPublic()));
        spec.commandLine().getOut().flush();
    }
}
