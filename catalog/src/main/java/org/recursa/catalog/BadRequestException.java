package org.recursa.catalog;

/** A request the server answers with 400 and this one-line message. */
final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
        super(message);
    }
}
