package org.recursa.api.task;

import java.util.Arrays;
import java.util.Objects;

/**
 * A quantity a task defines at every input token of an example, for linear probes of a trained model's hidden
 * states ({@code recursa probe}, docs/probes.md): e.g. whether a digit lies inside the carry chain, how deep a
 * tree node is. Positions where the quantity means nothing (a function symbol) hold {@link Double#NaN} and are
 * left out of the probe.
 *
 * @param name   lower-case letters, digits and underscores, e.g. {@code in_carry_chain}
 * @param kind   how the values are read and scored
 * @param values one value per input token of the example, in order; {@code NaN} where undefined
 */
public record TokenFeature(String name, Kind kind, double[] values) {

    /** How a feature's values are read, which decides the probe fitted to them and its score. */
    public enum Kind {
        /** 0 or 1; probed by a classifier, scored by accuracy. */
        BINARY,
        /** Class numbers 0, 1, 2, ...; probed by a one-versus-rest classifier, scored by accuracy. */
        CATEGORICAL,
        /** Any real number; probed by regression, scored by R² on held-out examples. */
        NUMERIC
    }

    /** Checks the name and the values against the kind, and copies the values. */
    public TokenFeature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("token feature name must match [a-z][a-z0-9_]*, got '" + name + "'");
        }
        values = values.clone();
        for (double value : values) {
            boolean fits = Double.isNaN(value) || switch (kind) {
                case BINARY -> value == 0 || value == 1;
                case CATEGORICAL -> value >= 0 && value == Math.rint(value);
                case NUMERIC -> Double.isFinite(value);
            };
            if (!fits) {
                throw new IllegalArgumentException("token feature '" + name + "' (" + kind + ") has the value "
                        + value);
            }
        }
    }

    /** The values, one per input token (a copy). */
    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenFeature that && name.equals(that.name) && kind == that.kind
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return name + " (" + kind + ") " + Arrays.toString(values);
    }
}
