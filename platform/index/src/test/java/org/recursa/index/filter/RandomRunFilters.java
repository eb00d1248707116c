package org.recursa.index.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random filters over the keys of {@link RunFilterQueriesTest}'s documents, with values drawn from the values
 * those documents hold (plus absent ones), and LIKE patterns made from them by escaping and then putting
 * wildcards in, so that most clauses select something.
 */
final class RandomRunFilters {

    private static final String[] NUMBER_KEYS = {"metrics.acc", "metrics.loss", "attributes.start_time", "metrics.nothing"};
    private static final double[][] NUMBERS = {
        {0.0, 0.5, 1.0, 0.25, 0.75, 0.9, 0.33, -1},
        {-1.5, -1e-3, 1e-3, 2500, -2500, 0, 1e300, -1e300, 3.7},
        {1_700_000_000_000d, 1_700_000_500_000d, 1_700_001_000_000d},
        {1}};
    private static final String[] STRING_KEYS = {"params.arch", "tags.note", "tags.label", "attributes.status",
        "params.nothing"};
    private static final String[][] STRINGS = {
        {"mor", "universal", "vanilla", "MoR", "Universal", "uni*versal", "a?b", "back\\slash", "100%", "x_y", "xy",
            "x-y", "", "absent"},
        {"carry", "Carry chain", "long carry", "*star*", "q?", "plain", "CARRY"},
        {"red", "green", "blue"},
        {"FINISHED", "failed", "Running", "interrupted", "CRASHED"},
        {"a"}};

    private RandomRunFilters() {
    }

    static Filter filter(Random random, int depth) {
        int pick = depth >= 2 ? 0 : random.nextInt(4);
        if (pick < 2) {
            return comparison(random);
        }
        List<Filter> children = new ArrayList<>();
        for (int i = 2 + random.nextInt(2); i > 0; i--) {
            children.add(filter(random, depth + 1));
        }
        return pick == 2 ? new And(children) : new Or(children);
    }

    private static Comparison comparison(Random random) {
        if (random.nextInt(10) == 0) {
            String[] keys = random.nextBoolean() ? NUMBER_KEYS : STRING_KEYS;
            return new Comparison(key(keys[random.nextInt(keys.length)]),
                    random.nextBoolean() ? Op.IS_NULL : Op.IS_NOT_NULL);
        }
        if (random.nextInt(3) == 0) {
            int k = random.nextInt(NUMBER_KEYS.length);
            Key key = key(NUMBER_KEYS[k]);
            List<Op> ops = new ArrayList<>(Op.NUMERIC);
            double[] pool = NUMBERS[k];
            return new Comparison(key, ops.get(random.nextInt(ops.size())),
                    new NumberLiteral(pool[random.nextInt(pool.length)]));
        }
        int k = random.nextInt(STRING_KEYS.length);
        Key key = key(STRING_KEYS[k]);
        String[] pool = STRINGS[k];
        List<Op> ops = new ArrayList<>(Op.STRING);
        Op op = ops.get(random.nextInt(ops.size()));
        List<Literal> values = new ArrayList<>();
        for (int i = op.takesList() ? 1 + random.nextInt(3) : 1; i > 0; i--) {
            String value = pool[random.nextInt(pool.length)];
            boolean pattern = op == Op.LIKE || op == Op.ILIKE;
            values.add(new StringLiteral(pattern ? pattern(random, value) : value));
        }
        return new Comparison(key, op, values);
    }

    /** A LIKE pattern from a value: escaped, then with a few characters or ends turned into wildcards. */
    private static String pattern(Random random, String value) {
        StringBuilder out = new StringBuilder();
        if (random.nextInt(3) == 0) {
            out.append('%');
        }
        for (int i = 0; i < value.length(); i++) {
            int roll = random.nextInt(10);
            if (roll == 0) {
                out.append('_');
            } else if (roll == 1) {
                out.append('%');
            } else if (roll == 2) {
                out.append(Character.toUpperCase(value.charAt(i)));
            } else {
                out.append(Reference.escape(String.valueOf(value.charAt(i))));
            }
        }
        if (random.nextInt(3) == 0) {
            out.append('%');
        }
        return out.toString();
    }

    private static Key key(String canonical) {
        int dot = canonical.indexOf('.');
        return Key.of(KeyScope.ofPrefix(canonical.substring(0, dot)).orElseThrow(), canonical.substring(dot + 1));
    }
}
