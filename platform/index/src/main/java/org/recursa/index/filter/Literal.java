package org.recursa.index.filter;

/** A value on the right side of a comparison: a {@link StringLiteral} or a {@link NumberLiteral}. */
public sealed interface Literal permits StringLiteral, NumberLiteral {

    /** The literal as filter text that parses back to an equal literal. */
    @Override
    String toString();
}
