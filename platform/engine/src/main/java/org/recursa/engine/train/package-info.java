/**
 * The training SPI: what an architecture plugin must provide so that the host can train, evaluate, size and
 * checkpoint its models. An architecture implements {@link org.recursa.engine.train.TrainableArchitecture}, whose
 * {@code build} returns a {@link org.recursa.engine.train.TrainableModel}: its parameters and a differentiable
 * forward pass returning a {@link org.recursa.engine.train.Forward}. The host checks this when the plugin's
 * extensions register and refuses an architecture that does not meet it.
 *
 * <p>A model is made of the engine's public layers ({@code org.recursa.engine}: variables, the tape, parameters;
 * {@code org.recursa.engine.ops}; {@code org.recursa.engine.nn}) and, where it needs them, ops of its own: an op
 * records its backward pass with {@link org.recursa.engine.Tape#record} and adds gradients with
 * {@link org.recursa.engine.Var#accumulate}. Nothing else of the engine is reachable from a plugin: its kernels,
 * scratch memory and gradient buffers are not exported.
 *
 * <p><b>Compatibility.</b> This package follows semantic versioning on its own version (below), independent of the
 * platform's. Architectures implement {@code TrainableArchitecture}, {@code TrainableModel} and {@code RecurrentModel}
 * ({@code @ConsumerType}), so any change to them, even an added abstract method, is a major change; new methods are
 * added with defaults in a minor release; the host implements {@link org.recursa.engine.train.Recorder}
 * ({@code @ProviderType}), so a method added to it is a minor change; a patch release changes documentation or
 * behaviour the contract does not promise. The build's baseline check enforces these rules
 * (docs/api-versioning.md). A plugin built with bnd against version x.y imports
 * {@code [x.y,x+1)} and keeps working on every host until the next major version; a host refuses, at install, a
 * plugin built against a newer minor or another major version, naming the package and both versions.
 *
 * <p>1.0.0: the contract as first published: {@code TrainableArchitecture} (with its PyTorch mirror),
 * {@code TrainableModel} and {@code Forward}, taken out of {@code org.recursa.engine} 0.2.0, where the host found
 * them only by a cast at run time.
 * <p>1.1.0 (additions only): {@link org.recursa.engine.train.Recorder} and the default method
 * {@code TrainableModel.forward(Tape, TokenBatch, Recorder)}, through which the host records hidden states and
 * attention for probes; an architecture that ignores them keeps working and is simply not probed.
 * <p>1.2.0 (additions only): depth as a knob of each pass — {@link org.recursa.engine.train.RecurrentModel} (the
 * default depth, passes at another depth, a model fixed at a depth for decoding, FLOPs per depth),
 * {@link org.recursa.engine.train.ForwardOptions}, {@link org.recursa.engine.train.Supervision} (every recursion
 * step supervised, CGAR's weighting) and {@code Forward.supervised} (the outputs the task loss supervises, with
 * the four-argument constructor kept).
 * <p>1.3.0 (additions only): {@code Forward.NamedLoss.over}, how many units an auxiliary loss is a mean over, so
 * that the host can split a batch across data-parallel workers and weight each shard's loss by its share (the
 * two-argument constructor kept: such a loss is taken as a mean over real tokens).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.recursa.engine.train;
