/**
 * The engine's core, part of what architecture plugins build on: {@link org.recursa.engine.Var variables} on a
 * define-by-run {@link org.recursa.engine.Tape tape}, {@link org.recursa.engine.Parameter parameters},
 * {@link org.recursa.engine.TokenBatch batches}, initialisers, precision, gradient checks and checkpoints.
 *
 * <p>0.3.0: the trainable-model contract moved to the training SPI ({@code org.recursa.engine.train});
 * {@code Scratch}, {@code GradientPool} and {@code Threads} moved to the host-only {@code org.recursa.engine.host};
 * {@code Var.accumulateOwned} and {@code Var.releaseGrad} are no longer public (the engine's ops reach them through
 * {@code org.recursa.engine.host.Gradients}; a plugin's op uses {@link org.recursa.engine.Var#accumulate}).
 * <p>1.0.0: the first stable version, the contract of 0.3.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.engine;
