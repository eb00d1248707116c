package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.Setting;
import org.recursa.api.task.Derivation;
import org.recursa.api.task.Example;
import org.recursa.api.task.Mode;
import org.recursa.api.task.ReductionStep;
import org.recursa.api.task.Split;
import org.recursa.api.task.Task;
import org.recursa.api.task.TokenFeature;
import org.recursa.api.task.Vocabulary;

/**
 * A task defined by a first-order rewriting system over prefix terms: each function symbol is defined by
 * structural recursion, one equation per constructor of its recursive argument. The reference interpreter
 * rewrites the leftmost redex until none is left; every step names the equation that fired and the token
 * index of the redex.
 *
 * <p>Rule names. With {@code trace_steps=fused} (the default) a step {@code iota:succ/B1} is one equation of a
 * structurally recursive definition: the δ-unfolding of {@code succ}, the β-application to its argument and the
 * ι-match on the constructor {@code B1}, fused into one step because the task's term language has no λ-terms to
 * show the intermediate forms in. The fused step is exactly one step of the definition's recursor. With
 * {@code trace_steps=split} a task that writes its functions as {@link #definitions() definitions} takes the three
 * apart, {@code delta:succ}, {@code beta:succ}, {@code iota:succ/B1}, over the λ-terms of {@link LambdaTerms}
 * ({@link StepwiseReduction}); the answers are the same.
 */
abstract class RewritingTask implements Task {

    /** Whether a trace fuses δ, β and ι into one step per equation, or writes each as a step of its own. */
    static final Setting TRACE_STEPS = Setting.ofChoice("trace_steps", "fused", List.of("fused", "split"),
            "fused: one step per equation (iota:f/C); split: its delta, beta and iota steps over lambda terms "
                    + "(binary-successor, peano-add and bool-eval only)");

    /** The tasks whose functions can be written as λ-terms with one-term match branches; for the refusal. */
    static final String SPLIT_TASKS = "binary-successor, peano-add, bool-eval";

    /** Guards against a rewriting system that does not terminate on some input (a bug, never data). */
    private static final int MAX_STEPS = 100_000;

    /** Built on first use; a function of {@link #definitions()}, which never change. */
    private volatile StepwiseReduction stepwise;

    /**
     * One rewrite of the redex at a position.
     *
     * @param rule        the equation, e.g. {@code iota:succ/B1}
     * @param end         the redex spans {@code [at, end)}
     * @param replacement what the redex becomes
     */
    record Rewrite(String rule, int end, List<String> replacement) {
    }

    /** The task's own tokens, in vocabulary order. */
    abstract List<String> symbols();

    /** The arity of every token of the term language: constructors, labels and function symbols; -1 if none. */
    abstract int arity(String token);

    /** The rewrite of the redex starting at {@code at}, if a function symbol is there and an equation matches. */
    abstract Optional<Rewrite> rewrite(List<String> term, int at);

    /** One input term of {@code split}, drawn from {@code random}. */
    abstract List<String> sample(Config config, String split, SplittableRandom random);

    /** Facts about an input that accuracy is sliced by, e.g. {@code carry_chain}. */
    abstract Map<String, Integer> features(Config config, List<String> input);

    /** Checks settings that depend on each other; throws ConfigException. */
    void validate(Config config) {
    }

    /**
     * The task's functions as equations, for {@code trace_steps=split}; none (the default) where a right-hand side
     * is not one term, e.g. juxtaposition as append, which a match branch of fixed arity cannot hold.
     */
    List<Definition> definitions() {
        return List.of();
    }

    /**
     * The task's symbols, then with {@code trace_steps=split} the tokens of the λ-terms. A task that cannot split
     * does not refuse here but in {@link #generate}: the host asks for the vocabulary before it draws examples, and
     * reports a task's ConfigException in one line only from the calls that validate settings.
     */
    @Override
    public final Vocabulary vocabulary(Config config) {
        List<String> tokens = new ArrayList<>(symbols());
        if (splitSteps(config) && !definitions().isEmpty()) {
            tokens.addAll(stepwise(config).orElseThrow().tokens());
        }
        return Vocabulary.of(tokens);
    }

    /**
     * The δ/β/ι reduction when {@code trace_steps=split}, empty when fused.
     *
     * @throws ConfigException in one line when split is set and the task has no {@link #definitions()}
     */
    final Optional<StepwiseReduction> stepwise(Config config) {
        if (!splitSteps(config)) {
            return Optional.empty();
        }
        if (definitions().isEmpty()) {
            throw new ConfigException("setting 'trace_steps' (split) is not supported: the equations append by "
                    + "juxtaposition, which a match branch cannot hold; tasks that support it: " + SPLIT_TASKS);
        }
        if (stepwise == null) {
            stepwise = new StepwiseReduction(this::arity, definitions());
        }
        return Optional.of(stepwise);
    }

    private static boolean splitSteps(Config config) {
        return config.getString(TRACE_STEPS.key()).equals("split");
    }

    /**
     * The task's own per-token features of an input, one value per token (NaN where undefined); none by default.
     * {@link #tokenFeatures} adds {@code pending_subterms}, which every task of prefix terms has.
     */
    List<TokenFeature> tokenFeatures(Config config, List<String> input) {
        return List.of();
    }

    /**
     * {@code pending_subterms}: after each token, how many subterms the prefix term still needs before it is
     * complete (1 after the function symbol, 0 after the last token) — the stack of a prefix parser; then the task's
     * own features ({@link #tokenFeatures(Config, List)}).
     */
    @Override
    public final List<TokenFeature> tokenFeatures(Config config, Example example) {
        List<String> input = example.input();
        double[] pending = new double[input.size()];
        int open = 1;
        for (int i = 0; i < input.size(); i++) {
            int arity = arity(input.get(i));
            open += arity < 0 ? 0 : arity - 1;
            pending[i] = arity < 0 ? Double.NaN : open;
        }
        List<TokenFeature> features = new ArrayList<>();
        features.addAll(tokenFeatures(config, input));
        features.add(new TokenFeature("pending_subterms", TokenFeature.Kind.NUMERIC, pending));
        return features;
    }

    @Override
    public final Set<Mode> modes() {
        return Set.of(Mode.IO, Mode.TRACE);
    }

    @Override
    public final List<ReductionStep> reductions(Config config, List<String> term) {
        Optional<StepwiseReduction> split = stepwise(config);
        if (split.isPresent()) {
            return split.get().reductions(term);
        }
        if (!Terms.isSequence(term, this::arity)) {
            return List.of();
        }
        List<ReductionStep> steps = new ArrayList<>();
        for (int at = 0; at < term.size(); at++) {
            int position = at;
            rewrite(term, at).ifPresent(r -> steps.add(new ReductionStep(r.rule(), Integer.toString(position),
                    Terms.splice(term, position, r.end(), r.replacement()))));
        }
        return steps;
    }

    @Override
    public final Derivation derive(Config config, List<String> input) {
        List<ReductionStep> steps = new ArrayList<>();
        List<String> term = input;
        for (List<ReductionStep> next = reductions(config, term); !next.isEmpty(); next = reductions(config, term)) {
            if (steps.size() == MAX_STEPS) {
                throw new IllegalStateException(id() + ": no normal form after " + MAX_STEPS + " steps for " + input);
            }
            steps.add(next.get(0));
            term = next.get(0).term();
        }
        return new Derivation(input, steps, term);
    }

    @Override
    public final List<Example> generate(Config config, String split, int count, long seed) {
        validate(config);
        stepwise(config); // refuses trace_steps=split before any example is drawn, where the task cannot split
        if (splits(config).stream().noneMatch(s -> s.name().equals(split))) {
            throw new IllegalArgumentException("unknown split '" + split + "' for task " + id() + "; valid splits: "
                    + splits(config).stream().map(Split::name).collect(Collectors.joining(", ")));
        }
        // One random stream per split, so that train and the test splits never replay the same draws.
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (split.hashCode() + 1L)));
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> input = sample(config, split, random);
            Derivation derivation = derive(config, input);
            Map<String, Integer> features = new HashMap<>(features(config, input));
            features.put("steps", recursorSteps(derivation));
            examples.add(new Example(split + "/" + i, split, input, derivation.answer(), features));
        }
        return examples;
    }

    /**
     * The steps of the functions' recursors: every step when fused, the ι steps when split (one per call, like the
     * fused steps), so that the feature {@code steps} slices the same inputs in both.
     */
    private static int recursorSteps(Derivation derivation) {
        return (int) derivation.steps().stream().filter(step -> step.rule().startsWith("iota:")).count();
    }

    /** A uniform draw from {@code [lo, hi]}. */
    static int between(SplittableRandom random, int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }
}
