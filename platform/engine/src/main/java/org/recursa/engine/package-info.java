/**
 * The engine's core: {@link org.recursa.engine.Var variables} on a define-by-run {@link org.recursa.engine.Tape tape},
 * {@link org.recursa.engine.Parameter parameters}, trainable models and checkpoints.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.recursa.engine;
