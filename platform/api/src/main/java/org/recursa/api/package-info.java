/**
 * Core of the Recursa plugin contract: the {@link org.recursa.api.Extension} root, the four
 * {@link org.recursa.api.ExtensionKind kinds}, and typed, validated settings
 * ({@link org.recursa.api.ConfigSchema}, {@link org.recursa.api.Config}).
 * <p>1.0.0: the first stable version, the contract of 0.1.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.api;
