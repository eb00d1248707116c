/**
 * Tasks: seeded example generators with a vocabulary, a reference interpreter that derives the
 * answer step by step, and a checker that judges a prediction.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.recursa.api.task;
