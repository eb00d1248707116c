/**
 * How a bundle tells the host what it offers: a Guice {@link org.recursa.api.plugin.PluginModule}
 * marked with {@link org.recursa.api.plugin.RecursaModule}.
 * <p>1.0.0: the first stable version, the contract of 0.1.0 unchanged; from here on the build's baseline check
 * holds this package to semantic versioning (docs/api-versioning.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.recursa.api.plugin;
