package org.recursa.client;

import aQute.bnd.osgi.repository.XMLResourceParser;
import aQute.bnd.osgi.resource.ResourceUtils;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Version;
import org.osgi.resource.Resource;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogException;

/**
 * A verified catalog's OSGi repository index: the resources (bundles with their capabilities and requirements) the
 * resolver chooses from, each tied to its signed catalog.json entry. The index's bytes are believed only because their
 * SHA-256 is the one catalog.json signs; a resource whose content hash differs from its catalog.json entry, or that
 * has no entry, makes the catalog inconsistent and is refused.
 *
 * @param from      the catalog
 * @param resources the index's resources, in the index's order
 * @param plugins   each resource's catalog.json entry
 */
public record CatalogIndex(VerifiedCatalog from, List<Resource> resources, Map<Resource, Catalog.Plugin> plugins) {

    /** The largest index.xml accepted. */
    public static final long MAX_SIZE = 32L << 20;

    /**
     * Parses {@code xml}, which the caller has checked against the catalog's signed hash. Referrals to other indexes
     * are refused (only signed bytes are read), as is a resource without a catalog.json entry or with another hash.
     */
    static CatalogIndex parse(VerifiedCatalog from, byte[] xml) {
        List<Resource> resources;
        String what = "index.xml of catalog '" + from.catalog().name() + "'";
        try (XMLResourceParser parser = new XMLResourceParser(new ByteArrayInputStream(xml), what, 0,
                new HashSet<>(), URI.create("index.xml"))) {
            resources = parser.parse();
            if (!parser.isOk()) {
                throw new CatalogException(what + " is not a valid OSGi repository index: "
                        + String.join("; ", parser.getErrors()));
            }
        } catch (CatalogException e) {
            throw e;
        } catch (Exception e) {
            throw new CatalogException(what + " is not a valid OSGi repository index: " + e.getMessage(), e);
        }
        Map<Resource, Catalog.Plugin> plugins = new LinkedHashMap<>();
        for (Resource resource : resources) {
            plugins.put(resource, entryOf(from.catalog(), resource, what));
        }
        return new CatalogIndex(from, List.copyOf(resources), plugins);
    }

    private static Catalog.Plugin entryOf(Catalog catalog, Resource resource, String what) {
        String bundle = ResourceUtils.getIdentity(resource);
        Version version = new Version(ResourceUtils.getIdentityVersion(resource));
        Optional<Catalog.Plugin> entry = catalog.plugins().stream()
                .filter(p -> p.bundle().equals(bundle) && sameVersion(p.version(), version)).findFirst();
        if (entry.isEmpty()) {
            throw new CatalogException(what + " lists " + bundle + " " + version + ", which catalog.json does not; "
                    + "the repository is inconsistent");
        }
        ResourceUtils.ContentCapability content = ResourceUtils.getContentCapability(resource);
        if (content == null || !entry.get().sha256().equalsIgnoreCase(content.osgi_content())) {
            throw new CatalogException(what + " gives " + bundle + " " + version + " another SHA-256 than catalog.json;"
                    + " the repository is inconsistent");
        }
        return entry.get();
    }

    /** Maven's 0.1.0-SNAPSHOT and OSGi's 0.1.0.SNAPSHOT are one version. */
    static boolean sameVersion(String text, Version version) {
        try {
            return Version.parseVersion(text.replace('-', '.')).equals(version);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
