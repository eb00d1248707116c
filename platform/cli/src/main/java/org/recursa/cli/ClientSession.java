package org.recursa.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.recursa.client.CatalogClient;
import org.recursa.client.CatalogConfig;
import org.recursa.runtime.RecursaHome;

/** The catalog client of one command: the home chosen by the global options and the distribution's default catalog. */
final class ClientSession {

    private ClientSession() {
    }

    static Path home(RecursaCommand root) {
        return RecursaHome.resolve(root.home(), System.getenv()).root();
    }

    static CatalogConfig config(RecursaCommand root) {
        return new CatalogConfig(home(root), Optional.ofNullable(System.getProperty(
                HostSession.DISTRIBUTION_PROPERTY)).map(Path::of));
    }

    static CatalogClient client(RecursaCommand root, boolean offline) {
        return new CatalogClient(home(root), offline, Clock.systemUTC());
    }
}
