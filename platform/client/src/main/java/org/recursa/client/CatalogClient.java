package org.recursa.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogException;
import org.recursa.repository.CatalogJson;
import org.recursa.repository.CatalogSignature;
import org.recursa.repository.CatalogVerifier;
import org.recursa.repository.RepositoryFiles;
import org.recursa.repository.RepositoryLayout;

/**
 * Fetches and verifies the configured catalogs and downloads their jars into the content-addressed cache
 * {@code <home>/cache/sha256/<hex>.jar}. A catalog is believed only if it verifies with the pinned key, is not older
 * than the version last seen (rollback) and has not expired (freeze); the version seen is raised only after that.
 * A verified catalog's bytes are kept under {@code <home>/cache/catalogs/} so that {@code --offline} can verify them
 * again without the network. A jar is streamed to a temporary file with a byte limit (its size from the signed
 * catalog) and moved into the cache only once its SHA-256 matches; the cache file's name is the hash of the bytes
 * checked, never a path from catalog text.
 */
public final class CatalogClient {

    /** The largest jar accepted whatever a catalog says. */
    public static final long MAX_JAR = 256L << 20;

    private final Path home;
    private final boolean offline;
    private final Clock clock;
    private final TrustState trust;

    /**
     * @param home    the platform home
     * @param offline serve catalogs and jars from the cache only
     * @param clock   the time expiry is checked against
     */
    public CatalogClient(Path home, boolean offline, Clock clock) {
        this.home = home;
        this.offline = offline;
        this.clock = clock;
        this.trust = new TrustState(home);
    }

    /** The jar cache. */
    public Path cacheDir() {
        return home.resolve("cache").resolve("sha256");
    }

    /** Every source fetched and verified; the first that fails is refused with its name. */
    public List<VerifiedCatalog> fetchAll(List<CatalogSource> sources) {
        if (sources.isEmpty()) {
            throw new CatalogException("no catalog is configured; add one with 'recursa catalog add URL --key "
                    + "KEY.pub'");
        }
        List<VerifiedCatalog> verified = new ArrayList<>();
        for (CatalogSource source : sources) {
            verified.add(fetch(source));
        }
        return verified;
    }

    /** The catalog of {@code source}, verified. */
    public VerifiedCatalog fetch(CatalogSource source) {
        try {
            byte[] json;
            byte[] sig;
            Path kept = keptDir(source);
            if (offline) {
                if (!Files.isRegularFile(kept.resolve(RepositoryLayout.CATALOG))) {
                    throw new CatalogException("not in the cache (never fetched); run the command without --offline");
                }
                json = RepositoryFiles.readSmall(kept.resolve(RepositoryLayout.CATALOG), CatalogJson.MAX_SIZE);
                sig = RepositoryFiles.readSmall(kept.resolve(RepositoryLayout.SIGNATURE), CatalogSignature.MAX_SIZE);
            } else {
                Transport transport = Transport.of(source);
                json = transport.read(RepositoryLayout.CATALOG, CatalogJson.MAX_SIZE);
                sig = transport.read(RepositoryLayout.SIGNATURE, CatalogSignature.MAX_SIZE);
            }
            String keyId = source.keyId();
            // The name only selects which counter to compare with; the verifier then checks these same bytes.
            String name = CatalogJson.parse(json).name();
            Catalog catalog = new CatalogVerifier(source.publicKey()).verify(json, sig, trust.lastSeen(keyId, name),
                    clock.instant());
            trust.raise(keyId, name, catalog.version());
            if (!offline) {
                RepositoryFiles.writeAtomically(kept.resolve(RepositoryLayout.CATALOG), json);
                RepositoryFiles.writeAtomically(kept.resolve(RepositoryLayout.SIGNATURE), sig);
            }
            return new VerifiedCatalog(source, catalog);
        } catch (CatalogException e) {
            throw new CatalogException("catalog '" + source.name() + "' (" + source.location() + "): "
                    + e.getMessage(), e);
        }
    }

    /** Every catalog's index, fetched (or read from the cache) and checked against its signed hash. */
    public List<CatalogIndex> indexes(List<VerifiedCatalog> catalogs) {
        return catalogs.stream().map(this::index).toList();
    }

    /**
     * The OSGi index of a verified catalog: its bytes must have the SHA-256 the signed catalog.json gives. A checked
     * index is kept beside the catalog for {@code --offline}.
     */
    public CatalogIndex index(VerifiedCatalog catalog) {
        Catalog.Index index = catalog.catalog().index();
        String where = "catalog '" + catalog.source().name() + "' (" + catalog.source().location() + ")";
        if (index == null || index.path() == null || index.sha256() == null) {
            throw new CatalogException(where + ": catalog.json names no index; the repository is not resolvable");
        }
        Path kept = keptDir(catalog.source()).resolve("index-" + canonicalHex(index.sha256(), where) + ".xml");
        byte[] xml;
        if (Files.isRegularFile(kept)) {
            xml = RepositoryFiles.readSmall(kept, CatalogIndex.MAX_SIZE);
        } else if (offline) {
            throw new CatalogException(where + ": its index.xml is not in the cache; run the command without "
                    + "--offline");
        } else {
            xml = Transport.of(catalog.source()).read(index.path(), CatalogIndex.MAX_SIZE);
        }
        String actual = RepositoryFiles.sha256(xml);
        if (!actual.equalsIgnoreCase(index.sha256())) {
            throw new CatalogException(where + ": index.xml has SHA-256 " + actual + ", not the " + index.sha256()
                    + " catalog.json signs; refused");
        }
        if (!Files.isRegularFile(kept)) {
            RepositoryFiles.writeAtomically(kept, xml);
        }
        return CatalogIndex.parse(catalog, xml);
    }

    /**
     * The jar of {@code plugin} in the cache, downloaded and checked if it is not there yet.
     *
     * @throws CatalogException if the download is larger than the catalog says, its hash differs, its path leaves
     *                          the repository, or (offline) it is not cached
     */
    public Path jar(VerifiedCatalog from, Catalog.Plugin plugin) {
        return jar(from, plugin, DownloadProgress.NONE);
    }

    /** As {@link #jar(VerifiedCatalog, Catalog.Plugin)}, telling {@code progress} how a download advances. */
    public Path jar(VerifiedCatalog from, Catalog.Plugin plugin, DownloadProgress progress) {
        String what = plugin.bundle() + " " + plugin.version();
        String hex = canonicalHex(plugin.sha256(), what);
        Path cached = cacheDir().resolve(hex + ".jar");
        if (Files.isRegularFile(cached)) {
            if (RepositoryFiles.sha256(cached).equals(hex)) {
                return cached;
            }
            deleteQuietly(cached); // damaged on disk: fetched again below (or refused offline)
        }
        if (offline) {
            throw new CatalogException(what + " is not in the cache; run the command without --offline to "
                    + "download it");
        }
        if (plugin.size() <= 0 || plugin.size() > MAX_JAR) {
            throw new CatalogException(what + ": catalog.json gives the size " + plugin.size()
                    + ", outside 1.." + MAX_JAR + " bytes; refused");
        }
        Path tmp = null;
        try {
            Files.createDirectories(cacheDir());
            tmp = Files.createTempFile(cacheDir(), ".download-", ".tmp");
            Transport.of(from.source()).download(plugin.path(), tmp, plugin.size(),
                    done -> progress.advanced(what, done, plugin.size()));
            long size = Files.size(tmp);
            if (size != plugin.size()) {
                throw new CatalogException(what + ": downloaded " + size + " bytes, not the " + plugin.size()
                        + " catalog.json gives; refused");
            }
            String actual = RepositoryFiles.sha256(tmp);
            if (!actual.equals(hex)) {
                throw new CatalogException(what + ": SHA-256 " + actual + " differs from " + hex
                        + " in the signed catalog.json; refused");
            }
            Files.move(tmp, cacheDir().resolve(actual + ".jar"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return cacheDir().resolve(actual + ".jar");
        } catch (IOException e) {
            throw new CatalogException("cannot download " + what + " into " + cacheDir() + ": " + e.getMessage(), e);
        } catch (CatalogException e) {
            throw new CatalogException(e.getMessage().startsWith(plugin.bundle()) ? e.getMessage()
                    : what + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /** The catalog's hash as 64 lower-case hex digits, or a refusal: it names a cache file. */
    private static String canonicalHex(String sha256, String what) {
        if (sha256 == null || sha256.length() != 64) {
            throw new CatalogException(what + ": catalog.json gives no SHA-256 of 64 hex digits; refused");
        }
        try {
            return HexFormat.of().formatHex(HexFormat.of().parseHex(sha256));
        } catch (IllegalArgumentException e) {
            throw new CatalogException(what + ": '" + sha256 + "' in catalog.json is not a SHA-256; refused", e);
        }
    }

    /** Where a verified catalog's bytes are kept: named by the pinned key and the location's hash. */
    private Path keptDir(CatalogSource source) {
        String location = RepositoryFiles.sha256(source.location().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16);
        return home.resolve("cache").resolve("catalogs").resolve(source.keyId() + "-" + location);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is harmless: it is never read as a cached jar
        }
    }
}
