package org.recursa.index.filter;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code key op value}, or {@code key [NOT] IN (value, ...)}. The record checks only the shape (one value, or
 * at least one for {@code IN}); whether the key, operator and values fit together is checked by the parser and
 * again by {@link FilterQueries}.
 *
 * @param key    the key compared
 * @param op     the operator
 * @param values the value, or the list of an {@code IN}/{@code NOT IN}
 */
public record Comparison(Key key, Op op, List<Literal> values) implements Filter {

    /** Checks the shape and copies the values. */
    public Comparison {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(op + " needs at least one value");
        }
        if (!op.takesList() && values.size() != 1) {
            throw new IllegalArgumentException(op + " takes exactly one value, got " + values.size());
        }
    }

    /** {@code key op value}. */
    public Comparison(Key key, Op op, Literal value) {
        this(key, op, List.of(value));
    }

    /** The single value of a comparison that is not {@code IN}/{@code NOT IN}. */
    public Literal value() {
        return values.get(0);
    }

    @Override
    public String toString() {
        if (op.takesList()) {
            return key + " " + op + " " + values.stream().map(Literal::toString)
                    .collect(Collectors.joining(", ", "(", ")"));
        }
        return key + " " + op + " " + value();
    }
}
