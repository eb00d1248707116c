/**
 * Compressors: transformations of a trained model (tying, low-rank relaxation, fewer recursions, quantisation,
 * pruning) into a smaller one, possibly of another architecture, with a report of what they saved.
 * <p>0.2.0 (with {@code org.recursa.api.model} 0.4.0): a compressor takes a {@link
 * org.recursa.api.compress.ModelSnapshot} (architecture, settings, weights) and a {@link
 * org.recursa.api.compress.CompressionContext} (calibration examples, uptraining budget, the installed architectures)
 * and returns a snapshot that may belong to another architecture; reports carry the method's own measures. An
 * incompatible change: 0.1.0 mapped weights to weights of the same names and shapes.
 * <p>1.0.0: the first stable version, the contract of 0.2.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.api.compress;
