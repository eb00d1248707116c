package org.recursa.catalog;

/** A repository directory the server cannot serve: missing or malformed catalog.json, a clashing name. */
public final class CatalogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CatalogException(String message) {
        super(message);
    }

    CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
