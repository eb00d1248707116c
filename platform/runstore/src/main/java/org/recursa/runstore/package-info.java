/**
 * The run store: the one owner of the run directory format (docs/runs.md). {@link org.recursa.runstore.RunStore}
 * creates, lists, opens, derives and deletes runs; {@link org.recursa.runstore.RunWriter} writes one run from the
 * process that owns it; {@link org.recursa.runstore.StoredRun} reads one, deriving crashed runs from the owner lock;
 * {@link org.recursa.runstore.ChangeJournal} is the append-only log of changes that the index follows.
 */
package org.recursa.runstore;
