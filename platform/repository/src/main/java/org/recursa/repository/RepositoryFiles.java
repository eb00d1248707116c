package org.recursa.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.recursa.runstore.AtomicFiles;

/**
 * File operations every repository reader and writer needs done safely: reads whose size is checked before anything is
 * allocated, SHA-256 by streaming, writes that replace a file atomically, and relative paths (which come from a
 * downloaded catalog.json) that may not leave the repository directory.
 */
public final class RepositoryFiles {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private RepositoryFiles() {
    }

    /** The bytes of {@code file}, refused without reading when it is larger than {@code maxSize}. */
    public static byte[] readSmall(Path file, long maxSize) {
        try {
            long size = Files.size(file);
            if (size > maxSize) {
                throw new CatalogException(file.getFileName() + ": " + size + " bytes, more than the limit of "
                        + maxSize);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) maxSize + 1);
                if (bytes.length > maxSize) {
                    throw new CatalogException(file.getFileName() + ": grew past the limit of " + maxSize
                            + " bytes while it was read");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new CatalogException(file + ": no such file", e);
        } catch (IOException e) {
            throw new CatalogException(file + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of {@code bytes}, lower-case hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The SHA-256 of {@code file}, read in a stream, lower-case hex. */
    public static String sha256(Path file) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Replaces {@code file} with {@code bytes} in one step: a reader sees the old content or the new, never a part.
     */
    public static void writeAtomically(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new CatalogException("cannot write " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CatalogException(e.getMessage(), e);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * {@code relative} (a path read from catalog.json) resolved in {@code root}; refused when it is absolute, has a
     * {@code ..}, {@code .} or empty segment or a backslash, or leads (through a symbolic link) outside {@code root}.
     */
    public static Path resolveInside(Path root, String relative) {
        if (relative == null || relative.isEmpty()) {
            throw escape(relative, "is empty");
        }
        if (relative.startsWith("/") || relative.indexOf('\\') >= 0 || DRIVE.matcher(relative).matches()
                || relative.indexOf('\0') >= 0) {
            throw escape(relative, "is not a relative path with '/' separators");
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw escape(relative, "has a '" + segment + "' segment");
            }
        }
        Path base = root.toAbsolutePath().normalize();
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base)) {
            throw escape(relative, "leaves the repository directory");
        }
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (!resolved.toRealPath().startsWith(base.toRealPath())) {
                    throw escape(relative, "leads outside the repository directory through a link");
                }
            } catch (IOException e) {
                throw new CatalogException(relative + ": " + e.getMessage(), e);
            }
        }
        return resolved;
    }

    private static CatalogException escape(String relative, String why) {
        return new CatalogException("path '" + relative + "' in " + RepositoryLayout.CATALOG + " " + why
                + "; refused (paths must stay inside the repository directory)");
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
