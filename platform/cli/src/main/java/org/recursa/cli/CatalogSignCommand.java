package org.recursa.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogSigner;
import org.recursa.repository.Ed25519Keys;
import org.recursa.repository.RepositoryLayout;
import org.recursa.repository.RepositoryLock;
import org.recursa.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code recursa catalog sign DIR --key K [--expires-in DAYS]}: signs a repository directory, its catalog.json's
 * version one higher than before.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign the repository in DIR: count its version up, set its expiry, write catalog.json.sig.")
final class CatalogSignCommand implements Runnable {

    /** Long enough not to freeze between releases, short enough that a stolen old catalog stops working. */
    static final int DEFAULT_DAYS = 180;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The repository directory (index.xml, jars/, catalog.json).")
    private Path dir;

    @Option(names = "--key", required = true, paramLabel = "K",
            description = "The private key file K.key (or its base name K); K.pub must be beside it.")
    private Path key;

    @Option(names = "--expires-in", paramLabel = "DAYS", defaultValue = "" + DEFAULT_DAYS,
            description = "Days until clients refuse the catalog unless it is signed again. Default: ${DEFAULT-VALUE}.")
    private int days;

    @Override
    public void run() {
        if (days <= 0) {
            throw new UsageException("--expires-in must be a positive number of days, not " + days);
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + ": no such directory; DIR is a repository directory");
        }
        if (!Files.isRegularFile(dir.resolve(RepositoryLayout.CATALOG))) {
            throw new UsageException(dir + ": not a repository (no " + RepositoryLayout.CATALOG + ")");
        }
        Path privateKey = key.getFileName().toString().endsWith(".key") ? key : Ed25519Keys.privateFile(key);
        if (!Files.isRegularFile(privateKey)) {
            throw new UsageException(privateKey + ": no such key file; make one with 'recursa catalog keygen --out K'");
        }
        KeyPair pair = Ed25519Keys.readPair(privateKey);
        // under the repository's lock: a server publishing to the same directory waits, and so does this
        Catalog signed = RepositoryLock.holding(dir,
                () -> new CatalogSigner(pair).sign(dir, Duration.ofDays(days), Instant.now()));
        spec.commandLine().getOut().println("signed " + dir + ": version " + signed.version() + ", "
                + signed.plugins().size() + " plugins, expires " + signed.expires() + ", key id "
                + Ed25519Keys.keyId(pair.getPublic()));
        spec.commandLine().getOut().flush();
    }
}
