/**
 * Mechanistic probes of a finished run ({@code recursa probe}, docs/probes.md): the model is rebuilt from the run's
 * checkpoint, its hidden states are recorded through the training SPI's {@link org.recursa.engine.train.Recorder},
 * and a closed-form ridge probe per recorded step and per-token task feature says how linearly decodable the feature
 * is at that step.
 */
package org.recursa.runtime.probe;
