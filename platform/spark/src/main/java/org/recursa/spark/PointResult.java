package org.recursa.spark;

import java.io.Serializable;

/**
 * What a task returns for a finished point.
 *
 * @param runId  the id of the run the child recorded
 * @param zip    the run directory as a zip (entries {@code <runId>/...}), or null when it was written to {@code uri}
 * @param uri    where the zip was written (with {@code --runs-uri}), or null
 * @param output the last lines the child printed
 */
public record PointResult(String runId, byte[] zip, String uri, String output) implements Serializable {

    private static final long serialVersionUID = 1L;
}
