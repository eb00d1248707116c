package org.recursa.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one Spark task gets to run one sweep point: everything is plain data, so that the task needs nothing of the
 * driver's classes beyond this module.
 *
 * @param sweep        the sweep id
 * @param point        the point's key ({@code p001})
 * @param runArguments the arguments of {@code recursa} that train the point ({@code run --task ... --tag ...})
 * @param files        the distribution's class path and the installed plugins, with their hashes
 * @param jvmOptions   options of the child JVM besides {@code -Xmx} and the class path
 * @param mainClass    the launcher's main class ({@code org.recursa.cli.Main}; another only in tests)
 * @param heapBytes    the child's {@code -Xmx}: the per-run memory estimate of the sweep
 * @param runsUri      where the task writes the finished run as a zip (a Hadoop file system URI), or null to return
 *                     its bytes to the driver
 */
public record PointSpec(String sweep, String point, List<String> runArguments, List<ShippedFile> files,
                        List<String> jvmOptions, String mainClass, long heapBytes, String runsUri)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public PointSpec {
        runArguments = List.copyOf(runArguments);
        files = List.copyOf(files);
        jvmOptions = List.copyOf(jvmOptions);
    }
}
