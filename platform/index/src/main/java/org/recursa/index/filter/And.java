package org.recursa.index.filter;

import java.util.List;
import java.util.stream.Collectors;

/**
 * True when every child is.
 *
 * @param children at least two filters, none of them {@link MatchAll}
 */
public record And(List<Filter> children) implements Filter {

    /** Checks and copies the children. */
    public And {
        children = Junction.check("AND", children);
    }

    /** Children joined by {@code AND}; {@link Or} and nested {@code And} children in parentheses. */
    @Override
    public String toString() {
        return children.stream().map(c -> c instanceof Comparison ? c.toString() : "(" + c + ")")
                .collect(Collectors.joining(" AND "));
    }
}
