/**
 * Samplers: decoding strategies that turn a {@link org.recursa.api.model.Model} and prompts into
 * output tokens.
 * <p>0.2.0: {@link org.recursa.api.decode.DecodeRequest} carries a seed and the
 * {@link org.recursa.api.decode.SpecialTokens}; {@link org.recursa.api.decode.Decoded} carries log-probabilities,
 * n-best {@link org.recursa.api.decode.Hypothesis hypotheses}, the depth per generated token and the FLOPs spent.
 * Samplers decode through {@link org.recursa.api.model.Model#openSession()}; one that only chooses tokens hands its
 * choice to {@link org.recursa.api.decode.TokenByToken}, and {@link org.recursa.api.decode.Logits} holds the argmax and
 * log-probability every sampler needs.
 * <p>1.0.0: the first stable version, the contract of 0.2.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.api.decode;
