package org.recursa.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.recursa.repository.CatalogException;
import org.recursa.repository.RepositoryFiles;

/**
 * Reads a repository's files by their relative paths (which come from catalog.json, so are checked before use):
 * over HTTP ({@link HttpTransport}) or from a directory ({@link DirectoryTransport}). Every read has a byte limit
 * that is checked before the content is read where the size is known, and enforced while reading where it is not.
 */
interface Transport {

    /** Path segments: letters, digits and {@code . _ - + ~}; nothing a URL or a file system would interpret. */
    Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._+~-]+(/[A-Za-z0-9._+~-]+)*");

    /** The whole file, refused when larger than {@code maxSize}. */
    byte[] read(String relative, long maxSize);

    /**
     * Streams the file into {@code target}, refused (and stopped) past {@code maxSize} bytes.
     *
     * @param progress told the bytes received after every chunk
     */
    void download(String relative, Path target, long maxSize, java.util.function.LongConsumer progress);

    /** Where the repository is, for messages. */
    String describe();

    /** The transport for a configured location. */
    static Transport of(CatalogSource source) {
        return source.remote() ? new HttpTransport(source.location()) : new DirectoryTransport(Path.of(
                source.location()));
    }

    /** Refuses a path that could leave the repository or mean something else in a URL. */
    static String checked(String relative) {
        RepositoryFiles.resolveInside(Path.of("/").resolve("repository-path-check"), relative);
        if (!SAFE_PATH.matcher(relative).matches()) {
            throw new CatalogException("path '" + relative + "' in catalog.json has characters outside letters, "
                    + "digits and . _ - + ~; refused");
        }
        return relative;
    }

    /** Copies {@code in} to {@code target}, refusing past {@code maxSize} bytes. */
    static void copyLimited(InputStream in, Path target, long maxSize, String what,
            java.util.function.LongConsumer progress) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > maxSize) {
                    throw new CatalogException(what + ": more than the limit of " + maxSize + " bytes; refused");
                }
                out.write(buffer, 0, n);
                progress.accept(total);
            }
        }
    }
}
