/**
 * The catalog repository format: a directory servable as static files ({@code index.xml}, {@code jars/},
 * {@code catalog.json}, {@code catalog.json.sig}), its model, how it is built from bundle jars, signed with Ed25519 and
 * verified against a pinned key. Nothing here starts a host.
 */
package org.recursa.repository;
