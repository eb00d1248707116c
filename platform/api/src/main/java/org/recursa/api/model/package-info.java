/**
 * Architectures and the models they build, seen from outside: next-token logits, size and cost,
 * and weights as plain named tensors.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.recursa.api.model;
