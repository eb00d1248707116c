/**
 * Seeds and sweeps (docs/sweeps.md). {@link org.recursa.sweep.SweepSpec} is what the user asked for;
 * {@link org.recursa.sweep.SweepPlanner} expands it into configurations and points (configuration x seed);
 * {@link org.recursa.sweep.SweepStore} keeps each sweep's plan under {@code $RECURSA_HOME/sweeps/<id>/};
 * {@link org.recursa.sweep.SweepState} derives how every point stands from the run store;
 * {@link org.recursa.sweep.SweepRunner} runs the points that are not done through a
 * {@link org.recursa.sweep.SweepExecutor} ({@link org.recursa.sweep.LocalSweepExecutor}: child processes);
 * {@link org.recursa.sweep.SweepAggregate} summarises the finished runs across seeds.
 */
package org.recursa.sweep;
