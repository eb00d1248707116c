package org.recursa.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build step: assembles a repository from a directory of bundle jars and the extension list a real host wrote at
 * build time ({@code kind id bundle description} lines), then signs it with a key made for this build. Only the
 * public key leaves the build: it is written beside the repository and shipped with it, so that the distribution's
 * embedded repository verifies; a hosted repository is signed instead with a kept key ({@code recursa catalog sign}).
 */
public final class RepositoryBuildMain {

    private RepositoryBuildMain() {
    }

    /**
     * @param args BUNDLE_DIR EXTENSIONS_FILE OUT_DIR KEY_BASE DAYS NAME: the repository goes to OUT_DIR, the key to
     *             KEY_BASE.key and KEY_BASE.pub (replaced: a new key per build)
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: RepositoryBuildMain BUNDLE_DIR EXTENSIONS_FILE OUT_DIR KEY_BASE DAYS NAME");
        }
        Path out = Path.of(args[2]);
        Path keyBase = Path.of(args[3]);
        Catalog built = new RepositoryBuilder(args[5]).build(Path.of(args[0]), extensions(Path.of(args[1])), out);
        Files.deleteIfExists(Ed25519Keys.privateFile(keyBase));
        Files.deleteIfExists(Ed25519Keys.publicFile(keyBase));
        KeyPair keys = Ed25519Keys.generate();
        Ed25519Keys.write(keys, keyBase);
        Catalog signed = new CatalogSigner(keys).sign(out, Duration.ofDays(Long.parseLong(args[4])), Instant.now());
        long withExtensions = signed.plugins().stream().filter(p -> !p.extensions().isEmpty()).count();
        if (withExtensions != built.plugins().size()) {
            throw new IllegalStateException(built.plugins().size() - withExtensions
                    + " bundles of the repository register no extension in the host: " + args[1]);
        }
        System.out.println("repository " + out + ": " + signed.plugins().size() + " bundles, version "
                + signed.version() + ", key id " + Ed25519Keys.keyId(keys.getPublic()));
    }

    /** Per bundle symbolic name, its extensions, from {@code kind id bundle description} lines. */
    static Map<String, List<Catalog.Extension>> extensions(Path file) throws IOException {
        Map<String, List<Catalog.Extension>> byBundle = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split("\\s+", 4);
            if (parts.length < 3) {
                throw new IllegalArgumentException(file + ": not a 'kind id bundle description' line: " + line);
            }
            byBundle.computeIfAbsent(parts[2], b -> new ArrayList<>())
                    .add(new Catalog.Extension(parts[0], parts[1], parts.length == 4 ? parts[3] : null));
        }
        return byBundle;
    }
}
