/**
 * Transformer building blocks made of engine ops: attention, MLP, pre-norm blocks, embeddings.
 * <p>0.3.0: {@link org.recursa.engine.nn.Block.Shape#activationsPerToken},
 * {@link org.recursa.engine.nn.DecoderModel#sharedParameters} and
 * {@link org.recursa.engine.nn.DecoderModel#sharedActivationsPerToken}, to size a model before building it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.recursa.engine.nn;
