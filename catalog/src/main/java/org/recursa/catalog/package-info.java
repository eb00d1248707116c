/**
 * The catalog server: serves plugin repositories (index.xml, catalog.json and its signature, jars/) as static files,
 * searches their catalog metadata with Lucene and answers a plugin's versions and dependencies as JSON.
 */
package org.recursa.catalog;
