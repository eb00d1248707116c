/**
 * Differentiable operations. Each op computes its forward result with ND4J and records a hand-written
 * backward pass on the tape; every backward pass has a finite-difference test.
 *
 * <p>0.3.0: removed {@code Rows}, {@code Activations.relu} and {@code Norms.rmsNorm}, which no layer used; added
 * {@link org.recursa.engine.ops.Rotary} (rotary position embeddings on packed q/k/v).
 * <p>0.4.0 (additions only): {@link org.recursa.engine.ops.Attention#probabilities}, the attention maps of a pass
 * for recording.
 * <p>0.5.0 (additions only): {@link org.recursa.engine.ops.Columns#concat}, activations side by side along the
 * feature axis (the relaxed transformer's separate q/k/v LoRAs).
 * <p>0.6.0 (additions only): {@code Elementwise.mulRow}, a per-column gain (LayerScale, AdaLN modulation).
 * <p>0.7.0 (additions only): {@code Norms.rmsNorm}, affine-free RMS normalisation, and {@code Activations.silu}
 * (LoopFormer's blocks and time conditioning).
 * <p>0.8.0 (additions only): {@code Rotary.apply} with a position per row, for tokens decoded at their own positions.
 * <p>1.0.0: the first stable version, the contract of 0.8.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.engine.ops;
