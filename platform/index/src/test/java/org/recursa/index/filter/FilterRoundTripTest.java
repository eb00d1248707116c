package org.recursa.index.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.recursa.index.Seeds;

/**
 * Property: every valid filter tree renders to text that parses back to an equal tree. The trees are random
 * (seeded; the seed is in every assertion) and use awkward names and values: keywords, dots, spaces and quotes
 * in names, quotes and backslashes in strings, numbers of every magnitude and sign, {@code IS [NOT] NULL}, and
 * statuses in any case.
 */
class FilterRoundTripTest {

    private static final String[] NAMES = {"acc", "seq_acc_ood", "loss/aux", "a-b", "a.b", "run", "and", "IN", "Like", "is", "NULL",
        "my metric", "x`y", "it's", "\"q\"", "metrics", "_", "ünïcode", "7up", "x y.z", "desc", "Asc"};
    private static final String[] STRINGS = {"", "mor", "it's", "say \"hi\"", "100%", "x_y", "a\\%b", "%", "back\\\\",
        "tab\there", "`tick`", "AND", "ünï"};

    @Test
    void renderedFiltersParseBackToEqualTrees() {
        long seed = Seeds.seed();
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            Filter filter = i == 0 ? Filter.ALL : filter(random, 0);
            String text = filter.toString();
            assertThat(FilterParser.parse(text)).as("seed %d, filter %s", seed, text).isEqualTo(filter);
        }
    }

    private static Filter filter(Random random, int depth) {
        int pick = depth >= 3 ? 0 : random.nextInt(4);
        if (pick < 2) {
            return comparison(random);
        }
        List<Filter> children = new ArrayList<>();
        int n = 2 + random.nextInt(3);
        while (children.size() < n) {
            Filter child = filter(random, depth + 1);
            // the parser flattens AND in AND and OR in OR, so canonical trees never hold them
            if (pick == 2 && !(child instanceof And) || pick == 3 && !(child instanceof Or)) {
                children.add(child);
            }
        }
        return pick == 2 ? new And(children) : new Or(children);
    }

    private static Comparison comparison(Random random) {
        KeyScope scope = KeyScope.values()[random.nextInt(KeyScope.values().length)];
        String name = scope == KeyScope.ATTRIBUTES
                ? pick(random, TypeRules.STRING_ATTRIBUTES, TypeRules.NUMBER_ATTRIBUTES)
                : NAMES[random.nextInt(NAMES.length)];
        Key key = new Key(scope, scope != KeyScope.BARE && random.nextBoolean(), name);
        TypeRules.Type type = TypeRules.declaredType(key);
        if (type == null) {
            type = random.nextBoolean() ? TypeRules.Type.NUMBER : TypeRules.Type.STRING;
        }
        List<Op> ops = new ArrayList<>(type == TypeRules.Type.NUMBER ? Op.NUMERIC : Op.STRING);
        ops.addAll(Op.NULL_CHECKS);
        Op op = ops.get(random.nextInt(ops.size()));
        List<Literal> values = new ArrayList<>();
        int n = op.takesNoValue() ? 0 : op.takesList() ? 1 + random.nextInt(3) : 1;
        boolean status = TypeRules.ignoresCase(key) && op != Op.LIKE && op != Op.ILIKE;
        for (int i = 0; i < n; i++) {
            values.add(type == TypeRules.Type.NUMBER ? new NumberLiteral(number(random))
                    : status ? new StringLiteral(anyCase(random, pick(random, TypeRules.STATUSES, List.of())))
                    : new StringLiteral(STRINGS[random.nextInt(STRINGS.length)]));
        }
        return new Comparison(key, op, values);
    }

    private static String anyCase(Random random, String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append((char) (random.nextBoolean() ? Character.toUpperCase(c) : c)));
        return out.toString();
    }

    private static String pick(Random random, List<String> a, List<String> b) {
        int i = random.nextInt(a.size() + b.size());
        return i < a.size() ? a.get(i) : b.get(i - a.size());
    }

    private static double number(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(2001) - 1000;
            case 1 -> Math.round(random.nextGaussian() * 1000) / 100.0;
            case 2 -> {
                double any;
                do {
                    any = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(any));
                yield any;
            }
            case 3 -> (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextInt(600) - 300);
            default -> random.nextLong();
        };
    }
}
