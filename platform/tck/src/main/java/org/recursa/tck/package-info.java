/**
 * Conformance checks for plugin authors.
 */
package org.recursa.tck;
