package org.recursa.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * One line for a failed file operation that names the file and says what went wrong. Java's file exceptions
 * often carry only one of the two: {@link NoSuchFileException}'s message is the bare path, a failed write's
 * ({@code No space left on device}) has no path at all.
 */
final class IoMessages {

    private IoMessages() {
    }

    /** The first file-system exception in the chain, described as {@code <file>: <reason>}, else null. */
    static String fileProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException fs && fs.getFile() != null) {
                return describe(fs);
            }
        }
        return null;
    }

    /** {@code <file>[ -> <other>]: <reason>}. */
    static String describe(FileSystemException e) {
        String files = e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile());
        return files + ": " + reason(e);
    }

    /** What went wrong, without the path; for an exception without a path, its message. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            if (fs.getReason() != null && !fs.getReason().isBlank()) {
                return fs.getReason().toLowerCase(java.util.Locale.ROOT);
            }
            if (fs instanceof NoSuchFileException) {
                return "no such file or directory";
            }
            if (fs instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (fs instanceof NotDirectoryException) {
                return "not a directory";
            }
            if (fs instanceof DirectoryNotEmptyException) {
                return "directory not empty";
            }
            if (fs instanceof FileAlreadyExistsException) {
                return fs.getFile() != null && Files.exists(Path.of(fs.getFile()))
                        && !Files.isDirectory(Path.of(fs.getFile())) ? "exists and is not a directory" : "already exists";
            }
            return fs.getClass().getSimpleName();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * {@code <what>: <file>: <reason>} when the exception names the file, else {@code <what> in <where>: <reason>}:
     * a failure to write somewhere under {@code where}.
     */
    static String writing(String what, Path where, Throwable e) {
        String file = fileProblem(e);
        if (file != null) {
            return what + ": " + file;
        }
        IOException io = ioCause(e);
        return what + " in " + where + ": " + (io != null ? reason(io) : String.valueOf(e.getMessage()));
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
            if (t instanceof UncheckedIOException unchecked) {
                return unchecked.getCause();
            }
        }
        return null;
    }
}
