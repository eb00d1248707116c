package org.recursa.spark;

import java.io.Serializable;

/**
 * One file the driver ships to the executors for a point's child process, and the SHA-256 it must have on arrival.
 *
 * @param name   its unique name among the shipped files ({@code SparkFiles.get(name)} finds it on an executor)
 * @param target where it goes in the child's layout: the file name inside {@code plugins/} of the scratch home for
 *               {@link Role#PLUGIN}, the class path position for {@link Role#LIB} (the order of the driver's class
 *               path is kept)
 * @param role   what it is
 * @param sha256 its SHA-256, lowercase hex
 * @param size   its size in bytes
 */
public record ShippedFile(String name, String target, Role role, String sha256, long size) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What a shipped file is to the child process. */
    public enum Role {
        /** A jar of the Recursa launcher's class path ({@code lib/} of the distribution). */
        LIB,
        /** An installed plugin bundle, or {@code plugins/installed.json}, of the driver's home. */
        PLUGIN
    }
}
