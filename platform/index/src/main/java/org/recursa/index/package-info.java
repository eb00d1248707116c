/**
 * Search over runs and proof artifacts. {@link org.recursa.index.IndexFields} fixes how index documents store
 * their keys; {@code org.recursa.index.filter} parses MLflow-style filters and turns them into Lucene queries
 * and sorts over those fields.
 */
package org.recursa.index;
