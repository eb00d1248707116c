package org.recursa.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.recursa.repository.CatalogException;
import org.recursa.repository.RepositoryFiles;

/** A repository in a local directory (the distribution's shipped one, or a mirror copied to disk). */
final class DirectoryTransport implements Transport {

    private final Path dir;

    DirectoryTransport(Path dir) {
        this.dir = dir;
    }

    @Override
    public byte[] read(String relative, long maxSize) {
        return RepositoryFiles.readSmall(RepositoryFiles.resolveInside(dir, Transport.checked(relative)), maxSize);
    }

    @Override
    public void download(String relative, Path target, long maxSize, java.util.function.LongConsumer progress) {
        Path file = RepositoryFiles.resolveInside(dir, Transport.checked(relative));
        try {
            long size = Files.size(file);
            if (size > maxSize) {
                throw new CatalogException(relative + ": " + size + " bytes, more than the limit of " + maxSize
                        + "; refused");
            }
            try (InputStream in = Files.newInputStream(file)) {
                Transport.copyLimited(in, target, maxSize, relative, progress);
            }
        } catch (IOException e) {
            throw new CatalogException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return dir.toString();
    }
}
