/**
 * Compressors: transformations of a model's weights (tying, low-rank relaxation, quantization,
 * pruning) that report what they saved.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.recursa.api.compress;
