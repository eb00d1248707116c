package org.recursa.sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One key of a grid with its values, in the order given: {@code --grid arch.d_model=64,128}. The key {@code arch}
 * chooses the architecture; every other key is a setting, routed as {@code recursa run --set} routes it.
 *
 * @param key    the setting ({@code arch.d_model}, {@code train.lr}, a bare key) or {@code arch}
 * @param values the values, at least one, none twice
 */
public record GridAxis(String key, List<String> values) {

    /**
     * What a swept key may be made of: it becomes the run tag {@code sweep.<key>}, so the characters of a tag key
     * (letters, digits, '_', '.', '-').
     */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    /** The key that chooses the architecture rather than a setting. */
    public static final String ARCH = "arch";

    /** Copies the values. */
    public GridAxis {
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }

    /**
     * Parses {@code KEY=VALUE,VALUE,...}.
     *
     * @throws SweepSyntaxException one line naming the option and what is wrong
     */
    public static GridAxis parse(String text) {
        String option = "--grid '" + text + "'";
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new SweepSyntaxException(option + ": expected KEY=VALUE,VALUE,... as in --grid "
                    + "arch=vanilla,universal");
        }
        String key = checkKey(option, text.substring(0, eq).trim());
        String rest = text.substring(eq + 1);
        if (rest.isBlank()) {
            throw new SweepSyntaxException(option + ": no values after '='; expected KEY=VALUE,VALUE,...");
        }
        List<String> values = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String[] parts = rest.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String value = parts[i].trim();
            if (value.isEmpty()) {
                throw new SweepSyntaxException(option + ": value " + (i + 1) + " is empty; separate values with "
                        + "single commas");
            }
            if (!seen.add(value)) {
                throw new SweepSyntaxException(option + ": value '" + value + "' is given twice");
            }
            values.add(value);
        }
        return new GridAxis(key, values);
    }

    /** Checks a swept key; {@code seed} is refused with a pointer to {@code --seeds}. */
    static String checkKey(String option, String key) {
        if (key.isEmpty()) {
            throw new SweepSyntaxException(option + ": the key before '=' is empty");
        }
        if (!KEY.matcher(key).matches()) {
            throw new SweepSyntaxException(option + ": invalid key '" + key + "'; a key is letters, digits, '_', '.' "
                    + "or '-', e.g. arch.d_model");
        }
        if (key.equals("seed")) {
            throw new SweepSyntaxException(option + ": seeds are swept with --seeds, e.g. --seeds 1..5");
        }
        return key;
    }

    /** {@code KEY=V1,V2}. */
    @Override
    public String toString() {
        return key + "=" + String.join(",", values);
    }
}
