package org.recursa.index.filter;

import java.util.List;
import java.util.stream.Collectors;

/**
 * True when at least one child is. {@code OR} (and parentheses) is Recursa's extension of MLflow's grammar.
 *
 * @param children at least two filters, none of them {@link MatchAll}
 */
public record Or(List<Filter> children) implements Filter {

    /** Checks and copies the children. */
    public Or {
        children = Junction.check("OR", children);
    }

    /** Children joined by {@code OR}; nested {@code Or} children in parentheses ({@code AND} binds tighter). */
    @Override
    public String toString() {
        return children.stream().map(c -> c instanceof Or ? "(" + c + ")" : c.toString())
                .collect(Collectors.joining(" OR "));
    }
}
