package org.recursa.runtime;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one check between a file name and a path in the plugin store. {@code installed.json} may have been
 * edited by anyone, so every name read from it goes through here before the store installs from or deletes
 * the file.
 */
final class StorePaths {

    private StorePaths() {
    }

    /**
     * The file {@code name} inside {@code dir}, or empty if {@code name} is not a plain file name there: absolute,
     * several path elements, {@code .} or {@code ..}, or not a valid path at all.
     */
    static Optional<Path> inside(Path dir, String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        Path base = dir.toAbsolutePath().normalize();
        Path relative;
        try {
            relative = base.getFileSystem().getPath(name);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (relative.isAbsolute() || relative.getNameCount() != 1) {
            return Optional.empty();
        }
        Path resolved = base.resolve(relative).normalize();
        return base.equals(resolved.getParent()) ? Optional.of(resolved) : Optional.empty();
    }
}
