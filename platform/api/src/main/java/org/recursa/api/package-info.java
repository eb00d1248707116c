/**
 * Core of the Recursa plugin contract: the {@link org.recursa.api.Extension} root, the four
 * {@link org.recursa.api.ExtensionKind kinds}, and typed, validated settings
 * ({@link org.recursa.api.ConfigSchema}, {@link org.recursa.api.Config}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.recursa.api;
