package org.recursa.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --executor local|spark --master URL --runs-uri URI} of {@code sweep} and {@code sweep resume}. */
final class SweepExecutorOptions {

    @Option(names = "--executor", paramLabel = "local|spark", defaultValue = "local",
            description = "Where the runs run: child processes on this machine (local, the default) or the tasks "
                    + "of a Spark cluster (spark, with --master; docs/scale.md).")
    String executor;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark's master with --executor spark: local[N], spark://HOST:PORT, k8s://...")
    String master;

    @Option(names = "--runs-uri", paramLabel = "URI",
            description = "With --executor spark: the tasks write finished runs under this Hadoop file system URI "
                    + "(file://, hdfs://, ...) instead of returning them to this process.")
    String runsUri;

    /** Whether Spark runs the points; usage errors for options that do not go together. */
    boolean spark(CommandLine line) {
        return switch (executor) {
            case "local" -> {
                if (master != null || runsUri != null) {
                    throw new ParameterException(line, (master != null ? "--master" : "--runs-uri")
                            + " needs --executor spark");
                }
                yield false;
            }
            case "spark" -> {
                if (master == null || master.isBlank()) {
                    throw new ParameterException(line, "--executor spark needs --master URL, e.g. --master "
                            + "'local[2]' or --master spark://HOST:7077");
                }
                yield true;
            }
            default -> throw new ParameterException(line, "--executor '" + executor + "': choose local or spark");
        };
    }
}
