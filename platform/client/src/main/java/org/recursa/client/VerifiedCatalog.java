package org.recursa.client;

import org.recursa.repository.Catalog;

/**
 * A catalog whose signature verified with its source's pinned key, not rolled back and not expired.
 *
 * @param source  where it came from
 * @param catalog its content
 */
public record VerifiedCatalog(CatalogSource source, Catalog catalog) {
}
