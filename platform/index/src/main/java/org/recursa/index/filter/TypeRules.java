package org.recursa.index.filter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MLflow's type rules: metrics are numbers, params and tags strings, attributes a fixed set of names each of
 * one type, and bare (artifact) keys take the type of the literal they are compared with. Numbers take
 * {@link Op#NUMERIC} operators, strings {@link Op#STRING} ones. Each check returns the problem as one line
 * of text, or null; the parser attaches a column, {@link FilterQueries} re-checks trees built in code.
 */
final class TypeRules {

    /** The value types. */
    enum Type { STRING, NUMBER }

    /** String-valued attributes, in the order error messages list them. */
    static final List<String> STRING_ATTRIBUTES = List.of("status", "run_id", "run_name", "task", "arch");
    /** Number-valued attributes (milliseconds since the epoch). */
    static final List<String> NUMBER_ATTRIBUTES = List.of("start_time", "end_time");
    /**
     * MLflow's other spellings of attribute names, to the name they stand for: {@code created} is the start time,
     * {@code `Run name`} the run name.
     */
    static final Map<String, String> ATTRIBUTE_ALIASES = Map.of("created", "start_time", "Created", "start_time",
            "run name", "run_name", "Run name", "run_name", "Run Name", "run_name");
    /** The statuses a run can have, as the run store writes them (lower case); a filter may write them in any case. */
    static final List<String> STATUSES = List.of("running", "finished", "interrupted", "failed", "crashed");
    /** The string-valued fields of artifact documents (every other bare key is a number). */
    static final Set<String> ARTIFACT_STRING_FIELDS = Set.of("task", "arch", "mode", "split", "example", "run",
            "verdict", "expected_rule", "expected_position");

    private TypeRules() {
    }

    /** The attribute {@code name} stands for: itself, or the name an MLflow alias ({@code created}) names. */
    static String attributeName(String name) {
        return ATTRIBUTE_ALIASES.getOrDefault(name, name);
    }

    /**
     * Whether comparisons on the key ignore case: {@code attributes.status} (and {@code run.attributes.status}),
     * whose values are stored lower-case while MLflow users write {@code 'FINISHED'}.
     */
    static boolean ignoresCase(Key key) {
        return key.scope() == KeyScope.ATTRIBUTES && key.name().equals("status");
    }

    /** Why the key itself is invalid (an unknown attribute), or null. */
    static String keyProblem(Key key) {
        if (key.scope() == KeyScope.ATTRIBUTES && !STRING_ATTRIBUTES.contains(key.name())
                && !NUMBER_ATTRIBUTES.contains(key.name())) {
            return "unknown attribute '" + key.name() + "'; valid attributes: " + attributeList();
        }
        return null;
    }

    /** {@code status, run_id, ..., end_time}: the attribute names, for error messages. */
    static String attributeList() {
        return String.join(", ", STRING_ATTRIBUTES) + ", " + String.join(", ", NUMBER_ATTRIBUTES);
    }

    /** The type the key's prefix fixes, or null for a bare key (typed by its literal). Assumes a valid key. */
    static Type declaredType(Key key) {
        return switch (key.scope()) {
            case METRICS -> Type.NUMBER;
            case PARAMS, TAGS -> Type.STRING;
            case ATTRIBUTES -> NUMBER_ATTRIBUTES.contains(key.name()) ? Type.NUMBER : Type.STRING;
            case BARE -> null;
        };
    }

    /** Why {@code op} cannot compare {@code key}, or null; bare keys are checked with their value instead. */
    static String operatorProblem(Key key, Op op) {
        Type type = declaredType(key);
        if (type == null || ops(type).contains(op) || op.takesNoValue()) {
            return null;
        }
        String what = type == Type.NUMBER ? "a number" : "a string";
        return "operator " + op + " is not supported for " + key + ", " + what + "; use " + Op.list(ops(type));
    }

    /** Why {@code value} cannot be compared with {@code key} by {@code op}, or null. */
    static String valueProblem(Key key, Op op, Literal value) {
        Type declared = declaredType(key);
        Type actual = value instanceof NumberLiteral ? Type.NUMBER : Type.STRING;
        if (declared != null && declared != actual) {
            return key + (declared == Type.NUMBER ? " needs a number" : " needs a quoted string") + ", got "
                    + describe(value);
        }
        if (declared == null && !ops(actual).contains(op)) {
            if (actual == Type.NUMBER) {
                return op.takesList()
                        ? op + " takes quoted strings, got " + describe(value) + "; compare numbers with = and OR"
                        : op + " needs a quoted string pattern, got " + describe(value);
            }
            return op + " compares numbers, got " + describe(value);
        }
        if ((op == Op.LIKE || op == Op.ILIKE) && value instanceof StringLiteral s) {
            return LikePatterns.problem(s.value());
        }
        if (ignoresCase(key) && value instanceof StringLiteral s
                && !STATUSES.contains(s.value().toLowerCase(Locale.ROOT))) {
            return "unknown status " + s + "; statuses are " + String.join(", ", STATUSES) + " (in any case)";
        }
        return null;
    }

    /** The first problem of a comparison against {@code scope}, or null: what the parser checks, without columns. */
    static String problem(Comparison comparison, Scope scope) {
        String problem = keyProblem(comparison.key());
        if (problem == null && scope != null) {
            problem = scope.problem(comparison.key());
        }
        if (problem == null) {
            problem = operatorProblem(comparison.key(), comparison.op());
        }
        for (int i = 0; problem == null && i < comparison.values().size(); i++) {
            problem = valueProblem(comparison.key(), comparison.op(), comparison.values().get(i));
        }
        return problem;
    }

    /** The type a valid comparison compares: the key's, or its literals' for a bare key. */
    static Type typeOf(Comparison comparison) {
        Type declared = declaredType(comparison.key());
        if (declared != null) {
            return declared;
        }
        return comparison.value() instanceof NumberLiteral ? Type.NUMBER : Type.STRING;
    }

    private static Set<Op> ops(Type type) {
        return type == Type.NUMBER ? Op.NUMERIC : Op.STRING;
    }

    private static String describe(Literal value) {
        return (value instanceof NumberLiteral ? "number " : "string ") + value;
    }
}
