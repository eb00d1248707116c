/**
 * Samplers: decoding strategies that turn a {@link org.recursa.api.model.Model} and prompts into
 * output tokens.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.recursa.api.decode;
