package org.recursa.index.filter;

import java.util.List;

/** The checks {@link And} and {@link Or} share. */
final class Junction {

    private Junction() {
    }

    static List<Filter> check(String keyword, List<Filter> children) {
        List<Filter> copy = List.copyOf(children);
        if (copy.size() < 2) {
            throw new IllegalArgumentException(keyword + " needs at least two children, got " + copy.size());
        }
        if (copy.stream().anyMatch(c -> c instanceof MatchAll)) {
            throw new IllegalArgumentException(keyword + " cannot hold the empty filter");
        }
        return copy;
    }
}
