package org.recursa.index.filter;

/** The empty (or blank) filter: matches every document. Only ever the whole filter, never a child. */
public record MatchAll() implements Filter {

    @Override
    public String toString() {
        return "";
    }
}
