package org.recursa.index.filter;

import java.util.EnumSet;
import java.util.Set;

/** A comparison operator. */
public enum Op {
    /** Equal; for keyword keys with several values, equal to any of them. */
    EQ("="),
    /** Not equal; false on a document without the key. */
    NE("!="),
    /** Less than (numbers). */
    LT("<"),
    /** Less than or equal (numbers). */
    LE("<="),
    /** Greater than (numbers). */
    GT(">"),
    /** Greater than or equal (numbers). */
    GE(">="),
    /** SQL pattern match, case-sensitive: {@code %} any run of characters, {@code _} one character. */
    LIKE("LIKE"),
    /** {@link #LIKE}, ignoring case. */
    ILIKE("ILIKE"),
    /** Equal to one of a list of strings. */
    IN("IN"),
    /** Equal to none of a list of strings; false on a document without the key. */
    NOT_IN("NOT IN"),
    /** The document lacks the key (any type); takes no value. */
    IS_NULL("IS NULL"),
    /** The document has the key (any type); takes no value. */
    IS_NOT_NULL("IS NOT NULL");

    /** The operators a number can be compared with. */
    public static final Set<Op> NUMERIC = EnumSet.of(EQ, NE, LT, LE, GT, GE);
    /** The operators a string can be compared with. */
    public static final Set<Op> STRING = EnumSet.of(EQ, NE, LIKE, ILIKE, IN, NOT_IN);

    private final String symbol;

    Op(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in a filter: {@code <=}, {@code NOT IN}. */
    public String symbol() {
        return symbol;
    }

    /** The operators that take no value and apply to keys of every type. */
    public static final Set<Op> NULL_CHECKS = EnumSet.of(IS_NULL, IS_NOT_NULL);

    /** Whether the operator takes a parenthesised list of values. */
    public boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    /** The operator written {@code symbol} ({@code =}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}), or null. */
    static Op ofSymbol(String symbol) {
        for (Op op : values()) {
            if (op.ordinal() <= GE.ordinal() && op.symbol.equals(symbol)) {
                return op;
            }
        }
        return null;
    }

    /** Whether the operator takes no value: {@code IS NULL}, {@code IS NOT NULL}. */
    public boolean takesNoValue() {
        return this == IS_NULL || this == IS_NOT_NULL;
    }

    /** {@code "=, !=, LIKE, ILIKE, IN or NOT IN"}: the operators of {@code ops}, for error messages. */
    static String list(Set<Op> ops) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (Op op : ops) {
            out.append(i == 0 ? "" : i == ops.size() - 1 ? " or " : ", ").append(op.symbol);
            i++;
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return symbol;
    }
}
