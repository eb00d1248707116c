/**
 * The filter language of {@code recursa runs search} and {@code recursa traces search}: MLflow's
 * {@code search_runs(filter_string=...)} grammar plus {@code OR} and parentheses (see docs/search.md).
 *
 * <p>{@link org.recursa.index.filter.FilterParser} turns text into a {@link org.recursa.index.filter.Filter}
 * (a tree of {@link org.recursa.index.filter.Comparison}, {@link org.recursa.index.filter.And} and
 * {@link org.recursa.index.filter.Or}), checking syntax and types and reporting the first problem as a
 * {@link org.recursa.index.filter.FilterSyntaxException} with its column;
 * {@link org.recursa.index.filter.FilterQueries} turns a filter into a Lucene query over the fields of
 * {@link org.recursa.index.IndexFields}; {@link org.recursa.index.filter.OrderBy} does the same for
 * {@code --order-by}.
 */
package org.recursa.index.filter;
