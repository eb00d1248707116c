/**
 * The bundle check: installs a plugin's built jar into a real host and reports every broken rule
 * ({@link org.recursa.tck.bundle.BundleConformance}).
 */
package org.recursa.tck.bundle;
