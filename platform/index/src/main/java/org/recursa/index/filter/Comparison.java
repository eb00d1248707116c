package org.recursa.index.filter;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code key op value}, {@code key [NOT] IN (value, ...)}, or {@code key IS [NOT] NULL}. The record checks only
 * the shape (one value, at least one for {@code IN}, none for {@code IS NULL}); whether the key, operator and values fit together is checked by the parser and
 * again by {@link FilterQueries}.
 *
 * @param key    the key compared
 * @param op     the operator
 * @param values the value, the list of an {@code IN}/{@code NOT IN}, or empty for {@code IS [NOT] NULL}
 */
public record Comparison(Key key, Op op, List<Literal> values) implements Filter {

    /** Checks the shape and copies the values. */
    public Comparison {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values);
        if (op.takesNoValue()) {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException(op + " takes no value, got " + values.size());
            }
        } else if (values.isEmpty()) {
            throw new IllegalArgumentException(op + " needs at least one value");
        }
        if (!op.takesList() && !op.takesNoValue() && values.size() != 1) {
            throw new IllegalArgumentException(op + " takes exactly one value, got " + values.size());
        }
    }

    /** {@code key op value}. */
    public Comparison(Key key, Op op, Literal value) {
        this(key, op, List.of(value));
    }

    /** {@code key IS NULL} or {@code key IS NOT NULL}. */
    public Comparison(Key key, Op op) {
        this(key, op, List.of());
    }

    /** The single value of a comparison that is not {@code IN}/{@code NOT IN} nor {@code IS [NOT] NULL}. */
    public Literal value() {
        return values.get(0);
    }

    @Override
    public String toString() {
        if (op.takesNoValue()) {
            return key + " " + op;
        }
        if (op.takesList()) {
            return key + " " + op + " " + values.stream().map(Literal::toString)
                    .collect(Collectors.joining(", ", "(", ")"));
        }
        return key + " " + op + " " + value();
    }
}
