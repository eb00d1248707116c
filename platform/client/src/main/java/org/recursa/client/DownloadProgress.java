package org.recursa.client;

/** Told how far a download has got, for a progress bar. Called on the downloading thread. */
@FunctionalInterface
public interface DownloadProgress {

    /** Reports nothing. */
    DownloadProgress NONE = (what, done, total) -> { };

    /**
     * @param what  the bundle and version being downloaded
     * @param done  bytes received so far
     * @param total bytes expected (from the signed catalog)
     */
    void advanced(String what, long done, long total);
}
