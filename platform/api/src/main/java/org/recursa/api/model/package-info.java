/**
 * Architectures and the models they build, seen from outside: next-token logits, size and cost,
 * and weights as plain named tensors.
 * <p>0.2.0: {@link org.recursa.api.model.Architecture#parameterCount} and
 * {@link org.recursa.api.model.Architecture#activationsPerToken}, default methods that let the host size a run
 * before building its model.
 * <p>0.3.0: incremental decoding, {@link org.recursa.api.model.Model#openSession} and
 * {@link org.recursa.api.model.DecodeSession}; {@link org.recursa.api.model.ModelInfo#capabilities} with
 * {@link org.recursa.api.model.Capability}; {@link org.recursa.api.model.RecurrentSession}, one recursion at a time.
 * <p>0.4.0 (with {@code org.recursa.api.compress} 0.2.0): {@link org.recursa.api.model.Tensor} says how a checkpoint
 * stores it ({@link org.recursa.api.model.Storage}: float32, per-channel int8, sparse) instead of a number of bits per
 * value; an incompatible change.
 * <p>1.0.0: the first stable version, the contract of 0.4.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.api.model;
