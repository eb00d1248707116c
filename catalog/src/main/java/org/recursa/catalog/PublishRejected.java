package org.recursa.catalog;

/** An upload refused with an HTTP status and one line saying why; the repository is left as it was. */
final class PublishRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    PublishRejected(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
