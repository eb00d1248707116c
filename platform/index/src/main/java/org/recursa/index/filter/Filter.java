package org.recursa.index.filter;

/**
 * A parsed filter: a {@link Comparison}, an {@link And} or {@link Or} of filters, or {@link MatchAll} (the empty
 * filter). Filters are values: equal trees are equal, and {@link #toString()} renders canonical filter text
 * (keywords upper-case, strings single-quoted, {@code AND}/{@code OR} children parenthesised only where
 * needed) that {@link FilterParser#parse(String)} turns back into an equal filter, as long as no {@code And}
 * directly holds an {@code And} and no {@code Or} an {@code Or} (the parser flattens those).
 */
public sealed interface Filter permits Comparison, And, Or, MatchAll {

    /** The empty filter, which matches every document. */
    Filter ALL = new MatchAll();

    /** Canonical filter text; empty for {@link MatchAll}. */
    @Override
    String toString();
}
