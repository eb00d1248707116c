package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.task.Split;

/**
 * Evaluation of nested boolean formulas, each connective defined by a match on its first argument:
 *
 * <pre>
 * not T = F        and T b = b        or T b = T
 * not F = T        and F b = F        or F b = b
 * </pre>
 *
 * Out of distribution: deeper nesting.
 */
public final class BoolEvalTask extends RewritingTask {

    static final String OOD_DEPTH = "test-ood-depth";
    private static final List<String> CONNECTIVES = List.of("and", "or", "not");

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("max_depth", 3, 1, 32, "deepest nesting of connectives in train and test-id"),
            Setting.ofInt("ood_depth", 5, 2, 64, "deepest nesting in test-ood-depth (which starts above max_depth)"),
            TRACE_STEPS);

    /** Creates the task; it holds no state. */
    public BoolEvalTask() {
    }

    @Override
    public String id() {
        return "bool-eval";
    }

    @Override
    public String description() {
        return "Evaluate a nested boolean formula (and, or, not over T, F); OOD by nesting depth";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    List<String> symbols() {
        return List.of("and", "or", "not", "T", "F");
    }

    @Override
    List<Definition> definitions() {
        return List.of(
                new Definition("and", List.of("a", "b"), List.of(
                        new Definition.Equation("T", List.of(), "b"),
                        new Definition.Equation("F", List.of(), "F"))),
                new Definition("or", List.of("a", "b"), List.of(
                        new Definition.Equation("T", List.of(), "T"),
                        new Definition.Equation("F", List.of(), "b"))),
                new Definition("not", List.of("a"), List.of(
                        new Definition.Equation("T", List.of(), "F"),
                        new Definition.Equation("F", List.of(), "T"))));
    }

    @Override
    public List<Split> splits(Config config) {
        return List.of(
                new Split(Split.TRAIN, "nesting depth 1.." + config.getInt("max_depth"), false),
                new Split(Split.TEST_ID, "held out (no training input), same distribution as train", false),
                new Split(OOD_DEPTH, "nesting depth " + (config.getInt("max_depth") + 1) + ".." + config.getInt("ood_depth"),
                        true));
    }

    @Override
    void validate(Config config) {
        if (config.getInt("ood_depth") <= config.getInt("max_depth")) {
            throw new ConfigException("setting 'ood_depth' (" + config.getInt("ood_depth") + ") must exceed 'max_depth' ("
                    + config.getInt("max_depth") + ")");
        }
    }

    @Override
    int arity(String token) {
        return switch (token) {
            case "T", "F" -> 0;
            case "not" -> 1;
            case "and", "or" -> 2;
            default -> -1;
        };
    }

    @Override
    Optional<Rewrite> rewrite(List<String> term, int at) {
        String op = term.get(at);
        if (!CONNECTIVES.contains(op) || at + 1 >= term.size()) {
            return Optional.empty();
        }
        String first = term.get(at + 1);
        if (!first.equals("T") && !first.equals("F")) {
            return Optional.empty();
        }
        int end = Terms.end(term, at, this::arity);
        List<String> rest = term.subList(at + 2, end);
        List<String> result = switch (op) {
            case "not" -> List.of(first.equals("T") ? "F" : "T");
            case "and" -> first.equals("T") ? rest : List.of("F");
            default -> first.equals("T") ? List.of("T") : rest;
        };
        return Optional.of(new Rewrite("iota:" + op + "/" + first, end, result));
    }

    @Override
    List<String> sample(Config config, String split, SplittableRandom random) {
        int depth = switch (split) {
            case Split.TRAIN, Split.TEST_ID -> between(random, 1, config.getInt("max_depth"));
            case OOD_DEPTH -> between(random, config.getInt("max_depth") + 1, config.getInt("ood_depth"));
            default -> throw new IllegalArgumentException(split);
        };
        List<String> term = new ArrayList<>();
        formula(random, depth, term);
        return term;
    }

    /** A formula of exactly {@code depth} levels of connectives. */
    private static void formula(SplittableRandom random, int depth, List<String> out) {
        if (depth == 0) {
            out.add(random.nextBoolean() ? "T" : "F");
            return;
        }
        String op = CONNECTIVES.get(random.nextInt(CONNECTIVES.size()));
        out.add(op);
        if (op.equals("not")) {
            formula(random, depth - 1, out);
            return;
        }
        boolean deepFirst = random.nextBoolean();
        int other = between(random, 0, depth - 1);
        formula(random, deepFirst ? depth - 1 : other, out);
        formula(random, deepFirst ? other : depth - 1, out);
    }

    @Override
    Map<String, Integer> features(Config config, List<String> input) {
        int depth = 0;
        int connectives = 0;
        // Depth of a prefix formula: track, per pending argument, the nesting level it sits at.
        java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>();
        pending.push(0);
        for (String token : input) {
            int level = pending.pop();
            int arity = arity(token);
            if (arity > 0) {
                connectives++;
                depth = Math.max(depth, level + 1);
                for (int i = 0; i < arity; i++) {
                    pending.push(level + 1);
                }
            }
        }
        return Map.of("depth", depth, "size", connectives);
    }
}
