/**
 * Engine services for the host runtime: scratch memory and gradient buffers of a pass, starting the ND4J backend,
 * and what the engine is built from. Never exported to plugins (no {@code @Export}): a plugin that imported it
 * would not resolve, so nothing here is part of the training SPI's contract and it may change in any release.
 */
package org.recursa.engine.host;
