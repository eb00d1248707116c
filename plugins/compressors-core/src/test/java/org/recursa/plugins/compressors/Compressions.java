package org.recursa.plugins.compressors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.tck.CompressionHarness;
import org.recursa.tck.CompressorConformance;

/** A compression as the host runs one, checked by {@link CompressorConformance#verify} in a scratch directory. */
final class Compressions {

    private Compressions() {
    }

    static Compression run(Compressor compressor, ModelSnapshot source, Map<String, String> settings,
                           CompressionHarness harness) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("compression");
            return CompressorConformance.verify(compressor, source, settings, harness, scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(scratch);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
