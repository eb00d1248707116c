/**
 * Optimisers and learning-rate schedules.
 * <p>1.0.0: the first stable version, the contract of 0.2.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.engine.optim;
