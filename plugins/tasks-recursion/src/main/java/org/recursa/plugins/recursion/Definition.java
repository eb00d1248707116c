package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A function defined by structural recursion on its first parameter, one equation per constructor, written with
 * names the way the task's class comment writes it; {@link #body()} compiles it to the closed λ-term that a
 * δ-step unfolds the function symbol to ({@link LambdaTerms}). For example {@code succ}, with the equations
 * {@code succ Z = B1 Z}, {@code succ (B0 m) = B1 m} and {@code succ (B1 m) = B0 (succ m)}, is
 * {@code lam match:succ #0 B1 Z lam B1 #0 lam B0 succ #0}.
 *
 * @param function   the function symbol
 * @param parameters the parameters' names, the recursive one first
 * @param equations  one per constructor of the recursive parameter's type; their order is the match's branch order
 */
record Definition(String function, List<String> parameters, List<Equation> equations) {

    /**
     * {@code function (constructor fields..) other-parameters.. = rhs}.
     *
     * @param constructor the constructor the recursive parameter is matched against
     * @param fields      names for the constructor's arguments, as many as its arity
     * @param rhs         the right-hand side in prefix notation, space-separated: the task's tokens, the names of
     *                    the parameters and fields, and calls written like the input ({@code succ m})
     */
    record Equation(String constructor, List<String> fields, String rhs) {

        Equation {
            fields = List.copyOf(fields);
        }
    }

    Definition {
        parameters = List.copyOf(parameters);
        equations = List.copyOf(equations);
        if (parameters.isEmpty() || equations.isEmpty()) {
            throw new IllegalArgumentException(function + ": a definition needs a parameter and an equation");
        }
    }

    /** How many arguments the function takes. */
    int arity() {
        return parameters.size();
    }

    /** The match token's arity: the scrutinee and one branch per constructor. */
    int matchArity() {
        return 1 + equations.size();
    }

    /**
     * {@code lam^n match:f #(n-1) branch..}: one {@code lam} per parameter, then the match on the first parameter
     * (bound by the outermost {@code lam}), each branch under one {@code lam} per field of its constructor.
     */
    List<String> body() {
        List<String> body = new ArrayList<>(Collections.nCopies(parameters.size(), LambdaTerms.LAMBDA));
        body.add(LambdaTerms.match(function));
        body.add(resolve(parameters.get(0), parameters));
        branches().forEach(body::addAll);
        return List.copyOf(body);
    }

    /** The match's branches in equation order, each under one {@code lam} per field of its constructor. */
    List<List<String>> branches() {
        return equations.stream().map(equation -> branch(equation, parameters)).toList();
    }

    /** The constructor of the equation at branch {@code index}. */
    String constructor(int index) {
        return equations.get(index).constructor();
    }

    /** The branch index of {@code constructor}, or -1 when the function has no equation for it. */
    int branchOf(String constructor) {
        for (int i = 0; i < equations.size(); i++) {
            if (equations.get(i).constructor().equals(constructor)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> branch(Equation equation, List<String> outer) {
        List<String> scope = new ArrayList<>(outer);
        List<String> branch = new ArrayList<>();
        for (String field : equation.fields()) {
            branch.add(LambdaTerms.LAMBDA);
            scope.add(field);
        }
        for (String token : Arrays.asList(equation.rhs().trim().split(" +"))) {
            branch.add(scope.contains(token) ? resolve(token, scope) : token);
        }
        return branch;
    }

    /** The de Bruijn variable of a name: how many binders lie between its own and the use, innermost first. */
    private static String resolve(String name, List<String> scope) {
        return LambdaTerms.variable(scope.size() - 1 - scope.lastIndexOf(name));
    }
}
