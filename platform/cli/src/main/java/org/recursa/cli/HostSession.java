package org.recursa.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;

/** Starts the host for one command, with the home chosen by the global options. */
final class HostSession {

    /** Set by bin/recursa to the distribution's root; its plugins/ are installed on first start. */
    static final String DISTRIBUTION_PROPERTY = "recursa.distribution";

    private HostSession() {
    }

    /** Starts the host; the caller closes it. */
    static RecursaHost open(RecursaCommand root) {
        RecursaHome home = RecursaHome.resolve(root.home(), System.getenv());
        return RecursaHost.start(home, distributionPlugins());
    }

    private static Optional<Path> distributionPlugins() {
        return Optional.ofNullable(System.getProperty(DISTRIBUTION_PROPERTY))
                .map(root -> Path.of(root, "plugins"))
                .filter(Files::isDirectory);
    }
}
