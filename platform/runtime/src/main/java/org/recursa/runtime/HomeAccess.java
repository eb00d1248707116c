package org.recursa.runtime;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether the host may write into a home. Decided by writing, not by permission bits: root ignores the bits,
 * and a read-only mount or a full disk shows only when a write fails. A home that cannot be written is used
 * read-only (see {@link RecursaHost#start}).
 */
final class HomeAccess {

    private HomeAccess() {
    }

    /**
     * Why the host cannot write into {@code home}'s {@code plugins/} or {@code framework/} (e.g.
     * "/x/plugins is not writable (Read-only file system)"), or empty if it can. Creates the two directories
     * when missing, as the first start would; leaves nothing else behind.
     */
    static Optional<String> readOnlyProblem(RecursaHome home) {
        for (Path dir : List.of(home.plugins(), home.framework())) {
            try {
                Files.createDirectories(dir);
                Files.delete(Files.createTempFile(dir, ".write-probe-", ".tmp"));
            } catch (IOException e) {
                return Optional.of(dir + " is not writable (" + reason(e) + ")");
            }
        }
        return Optional.empty();
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException failed && failed.getReason() != null) {
            return failed.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
