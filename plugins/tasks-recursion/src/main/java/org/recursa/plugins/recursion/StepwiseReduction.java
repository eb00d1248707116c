package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.recursa.api.task.ReductionStep;

/**
 * The one-step reduction of {@code trace_steps=split}: the fused step of a structurally recursive definition taken
 * apart into its δ, β and ι steps, over the terms of {@link LambdaTerms}.
 *
 * <ul>
 *   <li>{@code delta:f}: the symbol {@code f} becomes {@code @ .. @ body} (one {@code @} per parameter, then the
 *       {@link Definition#body() body}), so the arguments that follow it become the applications' arguments;</li>
 *   <li>{@code beta:f}: {@code @ (lam B) A} becomes {@code B[#0 := A]}, f being the function whose body the
 *       {@code lam} belongs to;</li>
 *   <li>{@code iota:f/C}: {@code match:f (C a1 .. ak) branches..} becomes C's branch with its k binders
 *       instantiated by a1 .. ak.</li>
 * </ul>
 *
 * Every redex that is not under a {@code lam} or in a match branch can fire, of any kind; the first in token order is
 * the leftmost, the one the reference interpreter takes.
 */
final class StepwiseReduction {

    private final ToIntFunction<String> taskArity;
    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final Map<String, List<String>> bodies = new LinkedHashMap<>();

    /**
     * @param taskArity   the arity of the task's own tokens (constructors and function symbols), -1 for others
     * @param definitions the task's functions
     */
    StepwiseReduction(ToIntFunction<String> taskArity, List<Definition> definitions) {
        this.taskArity = taskArity;
        for (Definition definition : definitions) {
            this.definitions.put(definition.function(), definition);
        }
        for (Definition definition : definitions) {
            bodies.put(definition.function(), checked(definition));
        }
    }

    /** The arity of every token of the split language: the task's, {@code @}, {@code lam}, variables, matches. */
    int arity(String token) {
        int own = taskArity.applyAsInt(token);
        if (own >= 0) {
            return own;
        }
        String function = LambdaTerms.matchedFunction(token);
        if (function != null) {
            Definition definition = definitions.get(function);
            return definition == null ? -1 : definition.matchArity();
        }
        return LambdaTerms.arity(token);
    }

    /**
     * The tokens the split language adds to the task's: {@code @}, {@code lam}, the variables the bodies use and
     * one match per function. Reduction only ever lowers an index, so no term holds a variable a body lacks.
     */
    List<String> tokens() {
        List<String> tokens = new ArrayList<>(List.of(LambdaTerms.APPLY, LambdaTerms.LAMBDA));
        int highest = bodies.values().stream().flatMap(List::stream).mapToInt(LambdaTerms::index).max().orElse(-1);
        for (int index = 0; index <= highest; index++) {
            tokens.add(LambdaTerms.variable(index));
        }
        definitions.keySet().forEach(function -> tokens.add(LambdaTerms.match(function)));
        return tokens;
    }

    /** The closed λ-term that {@code delta:function} unfolds the symbol to. */
    List<String> body(String function) {
        return bodies.get(function);
    }

    /** Every step that can fire on {@code term}, leftmost first; none for a malformed or open term. */
    List<ReductionStep> reductions(List<String> term) {
        if (!Terms.isSequence(term, this::arity) || !LambdaTerms.closed(term, this::arity)) {
            return List.of();
        }
        boolean[] frozen = LambdaTerms.scopes(term, this::arity).frozen();
        List<ReductionStep> steps = new ArrayList<>();
        for (int at = 0; at < term.size(); at++) {
            if (!frozen[at]) {
                redex(term, at).ifPresent(steps::add);
            }
        }
        return steps;
    }

    private Optional<ReductionStep> redex(List<String> term, int at) {
        String token = term.get(at);
        if (definitions.containsKey(token)) {
            return Optional.of(delta(term, at));
        }
        if (token.equals(LambdaTerms.APPLY) && term.get(at + 1).equals(LambdaTerms.LAMBDA)) {
            return Optional.of(beta(term, at));
        }
        String function = LambdaTerms.matchedFunction(token);
        return function == null ? Optional.empty() : iota(term, at, definitions.get(function));
    }

    private ReductionStep delta(List<String> term, int at) {
        String function = term.get(at);
        List<String> unfolded = new ArrayList<>(Collections.nCopies(definitions.get(function).arity(),
                LambdaTerms.APPLY));
        unfolded.addAll(bodies.get(function));
        return step("delta:" + function, at, Terms.splice(term, at, at + 1, unfolded));
    }

    private ReductionStep beta(List<String> term, int at) {
        int functionEnd = Terms.end(term, at + 1, this::arity);
        int argumentEnd = Terms.end(term, functionEnd, this::arity);
        List<String> body = term.subList(at + 2, functionEnd);
        List<String> result = LambdaTerms.instantiate(body, term.subList(functionEnd, argumentEnd), this::arity);
        return step(betaRule(body), at, Terms.splice(term, at, argumentEnd, result));
    }

    /** {@code beta:f} for the body of f's definition (lams, then f's match); plain {@code beta} for any other. */
    private static String betaRule(List<String> body) {
        int first = 0;
        while (first < body.size() && body.get(first).equals(LambdaTerms.LAMBDA)) {
            first++;
        }
        String function = first < body.size() ? LambdaTerms.matchedFunction(body.get(first)) : null;
        return function == null ? "beta" : "beta:" + function;
    }

    private Optional<ReductionStep> iota(List<String> term, int at, Definition definition) {
        int branch = definition.branchOf(term.get(at + 1));
        if (branch < 0) {
            return Optional.empty();
        }
        List<List<String>> fields = children(term, at + 1);
        int end = Terms.end(term, at, this::arity);
        List<String> chosen = children(term, at).get(1 + branch);
        for (List<String> field : fields) {
            if (chosen.isEmpty() || !chosen.get(0).equals(LambdaTerms.LAMBDA)) {
                return Optional.empty();
            }
            chosen = LambdaTerms.instantiate(chosen.subList(1, chosen.size()), field, this::arity);
        }
        return Optional.of(step("iota:" + definition.function() + "/" + definition.constructor(branch), at,
                Terms.splice(term, at, end, chosen)));
    }

    /** The complete subterms that follow the token at {@code at}, one per its arity. */
    private List<List<String>> children(List<String> term, int at) {
        List<List<String>> children = new ArrayList<>();
        int start = at + 1;
        for (int i = 0; i < arity(term.get(at)); i++) {
            int end = Terms.end(term, start, this::arity);
            children.add(term.subList(start, end));
            start = end;
        }
        return children;
    }

    private static ReductionStep step(String rule, int at, List<String> term) {
        return new ReductionStep(rule, Integer.toString(at), term);
    }

    /**
     * The definition's body, after checking what a fixed-arity match needs: every name is free of the task's
     * tokens, each constructor's fields match its arity, and every branch is exactly one term.
     */
    private List<String> checked(Definition definition) {
        String function = definition.function();
        if (taskArity.applyAsInt(function) != definition.arity()) {
            throw new IllegalStateException(function + ": " + definition.arity() + " parameters, but the symbol has "
                    + "arity " + taskArity.applyAsInt(function));
        }
        for (Definition.Equation equation : definition.equations()) {
            if (taskArity.applyAsInt(equation.constructor()) != equation.fields().size()) {
                throw new IllegalStateException(function + "/" + equation.constructor() + ": " + equation.fields()
                        + " do not match the constructor's arity");
            }
        }
        List<String> names = new ArrayList<>(definition.parameters());
        definition.equations().forEach(e -> names.addAll(e.fields()));
        if (names.stream().anyMatch(name -> arity(name) >= 0)) {
            throw new IllegalStateException(function + ": a name in " + names + " is a token of the term language");
        }
        for (List<String> branch : definition.branches()) {
            if (Terms.end(branch, 0, this::arity) != branch.size()) {
                throw new IllegalStateException(function + ": the branch " + branch + " is not exactly one term");
            }
        }
        List<String> body = definition.body();
        if (!LambdaTerms.closed(body, this::arity)) {
            throw new IllegalStateException(function + ": the body " + body + " has a free variable");
        }
        return body;
    }
}
