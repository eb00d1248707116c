/**
 * How a bundle tells the host what it offers: a Guice {@link org.recursa.api.plugin.PluginModule}
 * marked with {@link org.recursa.api.plugin.RecursaModule}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.recursa.api.plugin;
