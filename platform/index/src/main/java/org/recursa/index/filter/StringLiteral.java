package org.recursa.index.filter;

import java.util.Objects;

/**
 * A quoted string value; in filter text {@code 'it''s'} or {@code "it's"} (a doubled quote stands for one).
 *
 * @param value the string, without quotes
 */
public record StringLiteral(String value) implements Literal {

    /** Checks the component. */
    public StringLiteral {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "'" + value.replace("'", "''") + "'";
    }
}
