/**
 * Optimisers and learning-rate schedules.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.recursa.engine.optim;
