/**
 * Transformer building blocks made of engine ops: attention, MLP, the one composable pre-norm {@link
 * org.recursa.engine.nn.Block} and its parts, embeddings, and the settings every transformer shares.
 * <p>0.3.0: {@link org.recursa.engine.nn.Block.Shape#activationsPerToken},
 * {@link org.recursa.engine.nn.DecoderModel#sharedParameters} and
 * {@link org.recursa.engine.nn.DecoderModel#sharedActivationsPerToken}, to size a model before building it.
 * <p>0.4.0 (additions only): one block for every architecture, composed of parts —
 * {@link org.recursa.engine.nn.LinearMap} ({@link org.recursa.engine.nn.Dense},
 * {@link org.recursa.engine.nn.SharedLinear}, {@link org.recursa.engine.nn.LoraLinear}, over
 * {@link org.recursa.engine.nn.BlockWeights} and named by {@link org.recursa.engine.nn.BlockLinear}),
 * {@link org.recursa.engine.nn.AttentionScope}, {@link org.recursa.engine.nn.Residual};
 * {@code Block.of}, {@code Block.createScaled}, {@code Block.withSharedWeights},
 * {@code Block.apply(Context, Var, AttentionScope)}, {@code SelfAttention.of}, {@code Mlp.of}; the size helpers
 * {@code Block.Shape.matrixParameters}, {@code vectorParameters}, {@code loraParameters},
 * {@code loraFlopsPerToken}, {@code loraActivationsPerToken}, {@code scaledResidualActivationsPerToken}; and
 * {@link org.recursa.engine.nn.TransformerSettings}. {@code Block.apply} and {@code SelfAttention.apply} with a
 * mask and a q/k/v hook are deprecated in favour of the {@code AttentionScope} overloads. Position encodings as a
 * setting: {@link org.recursa.engine.nn.PositionEncoding} (learned, sinusoidal, rotary, none),
 * {@code Block.Shape.positions}, {@code TransformerSettings.POSITIONS}, {@code Context.rotary}.
 * <p>0.5.0 (additions only): recording for probes — {@code DecoderModel.forward(Tape, TokenBatch, Recorder)}, the
 * {@code Context} constructor with a {@link org.recursa.engine.train.Recorder}, {@code Context.recording},
 * {@code Context.at} (naming a block application and the tokens it computes) and {@code Context.gathered} (a
 * sub-batch of the pass's tokens); {@code Block.apply} reports each application to the recorder.
 * <p>0.6.0 (additions only): a LoRA per q/k/v projection — {@link org.recursa.engine.nn.SplitLoraLinear} (a LoRA
 * per slice of a map's outputs), {@link org.recursa.engine.nn.QkvLora}, {@code Block.withSharedWeights} with a
 * {@code QkvLora}, and {@code Block.Shape.loraParameters}, {@code loraFlopsPerToken} and
 * {@code loraActivationsPerToken} with a {@code QkvLora}.
 * <p>0.7.0 (additions only): depth as a knob — {@link org.recursa.engine.nn.RecurrentDecoderModel} (a looped body
 * that implements {@code org.recursa.engine.train.RecurrentModel}), {@code DecoderModel.forward} and {@code body}
 * with {@code ForwardOptions}, {@code DecoderModel.readout} and {@code nextTokenLogits} with options, and
 * {@code Body.steps} and {@code Body.extra} (states the task loss supervises).
 * <p>0.8.0 (additions only): {@code Context.record} and {@code SelfAttention.attend} (with its {@code Attended}
 * result) are public, so that a block of an architecture's own (LoopFormer's modulated block) is recorded for
 * probes as {@code Block} is; {@code Block.createLayerScaled} and {@code Residual.layerScale}, LayerScale on a block's
 * branches; {@link org.recursa.engine.nn.IdentityGate}, an identity-biased recurrence step.
 * <p>0.9.0 (additions only): incremental decoding. {@code DecoderModel.openSession()} returns a session over a
 * {@link org.recursa.engine.nn.KvCache}; {@code Context.cached}, {@code isCached}, {@code tracksSteps},
 * {@code positions} and {@code atEach} describe an incremental pass; {@code AttentionScope.causalWhere} (a visibility
 * rule on positions) and {@code withKeysOf} (recursive KV sharing); {@code DecoderModel.capabilities()};
 * {@link org.recursa.engine.nn.Recurrence} and {@link org.recursa.engine.nn.StepState}, which a
 * {@code RecurrentDecoderModel} returns from {@code recurrence(ForwardOptions)} to decode one recursion at a time.
 * <p>1.0.0: the first stable version, the contract of 0.9.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 * <p>1.1.0: {@code AttentionScope.causalInGroups}, attention inside groups of positions computed group by group
 * (sliced group attention at the cost of its groups, not of the whole sequence under a mask).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.recursa.engine.nn;
