/**
 * The client side of plugin catalogs: which catalogs a home trusts ({@code catalogs.json}, each with a pinned
 * Ed25519 key), the highest catalog version each has shown (rollback protection), fetching and verifying
 * {@code catalog.json} over HTTP or from a directory, the content-addressed jar cache, search over verified catalogs
 * and the install plan (the closure of a bundle's {@code requires}). Installing itself is the host's job.
 */
package org.recursa.client;
