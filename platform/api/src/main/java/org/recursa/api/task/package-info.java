/**
 * Tasks: seeded example generators with a vocabulary, a reference interpreter that derives the
 * answer step by step, a one-step reduction relation for checking traces, and a checker that judges a
 * prediction.
 *
 * <p>0.2.0: {@link org.recursa.api.task.Mode}, {@link org.recursa.api.task.Task#modes()},
 * {@link org.recursa.api.task.Task#reductions}, {@link org.recursa.api.task.Derivation#traceTokens()} and the
 * special token {@link org.recursa.api.task.Vocabulary#STEP} (id 3, so task symbols now start at id 4).
 *
 * <p>0.3.0 (additions only): {@link org.recursa.api.task.Task#tokenFeatures} (a default method declaring none) and
 * {@link org.recursa.api.task.TokenFeature}, the per-token quantities that {@code recursa probe} fits linear probes
 * to; {@link org.recursa.api.task.Task#trainingExamples} and
 * {@link org.recursa.api.task.Task#DEFAULT_TRAINING_EXAMPLES} (a run draws a finite training set once, of this size by default), and the held-out guarantee in
 * {@link org.recursa.api.task.Task}'s contract: evaluation splits never contain a training input, inputs compared as
 * token lists.
 * <p>1.0.0: the first stable version, the contract of 0.3.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.api.task;
