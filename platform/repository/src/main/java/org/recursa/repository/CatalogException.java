package org.recursa.repository;

/**
 * A repository or catalog that is refused or cannot be read or written. The message is one line that says what was
 * wrong and, where it helps, what would be right.
 */
public final class CatalogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
