package org.recursa.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.recursa.runstore.RunStore;

/**
 * The platform's state directory: {@code framework/} (Felix caches), {@code plugins/} (installed bundles
 * and their journal), {@code runs/}, {@code sweeps/} and {@code index/}. Chosen by {@code --home}, else the
 * environment variable {@code RECURSA_HOME}, else {@code ~/.recursa}.
 *
 * @param root the directory
 */
public record RecursaHome(Path root) {

    /** The environment variable that overrides the default home. */
    public static final String ENV = "RECURSA_HOME";

    /** Normalises the path. */
    public RecursaHome {
        root = root.toAbsolutePath().normalize();
    }

    /**
     * Picks the home directory.
     *
     * @param option      the {@code --home} option, if given
     * @param environment the process environment
     */
    public static RecursaHome resolve(Optional<Path> option, Map<String, String> environment) {
        if (option.isPresent()) {
            return new RecursaHome(option.get());
        }
        String fromEnv = environment.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new RecursaHome(Path.of(fromEnv));
        }
        return new RecursaHome(Path.of(System.getProperty("user.home"), ".recursa"));
    }

    /** Felix framework caches, one per running process. */
    public Path framework() {
        return root.resolve("framework");
    }

    /** Installed plugin bundles and {@code installed.json}. */
    public Path plugins() {
        return root.resolve("plugins");
    }

    /** Run directories. */
    public Path runs() {
        return root.resolve("runs");
    }

    /** The run store over {@link #runs()}: the way every command reads and writes runs. */
    public RunStore runStore() {
        return RunStore.at(runs());
    }

    /** Sweeps: one directory per sweep with its plan, point locks and logs (docs/sweeps.md). */
    public Path sweeps() {
        return root.resolve("sweeps");
    }

    /** The Lucene index of the runs, derived from {@link #runs()}. */
    public Path index() {
        return root.resolve("index");
    }
}
