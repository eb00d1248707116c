/**
 * Sweeps on Apache Spark: {@link org.recursa.spark.SparkSweepExecutor} behind the sweep module's
 * {@code SweepExecutor} seam, and {@link org.recursa.spark.PointTask}, the task that runs one point in a child process
 * on an executor from the shipped, hash-checked distribution and plugins. Loaded by the CLI from {@code lib/spark/}
 * in a class loader of its own, only for {@code recursa sweep --executor spark} (docs/sweeps.md).
 */
package org.recursa.spark;
