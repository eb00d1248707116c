/**
 * Transformer building blocks made of engine ops: attention, MLP, pre-norm blocks, embeddings.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.recursa.engine.nn;
