package org.recursa.plugins.recursion;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The λ-calculus that {@code trace_steps=split} writes its intermediate terms in, in prefix notation with fixed
 * arities like the tasks' own terms, so it needs no brackets: {@code @ F A} applies F to A, {@code lam B} binds a
 * variable in B, {@code #i} is the variable bound by the i-th {@code lam} around it counting from the innermost
 * (de Bruijn indices, so no names to rename), and {@code match:f S B1 .. Bc} matches the scrutinee S against the
 * constructors of f's recursive argument, one branch each, a constructor's fields bound by {@code lam}s around its
 * branch.
 *
 * <p>Reduction is weak: nothing under a {@code lam} or in a match branch is reduced (a branch holds the recursive
 * call, which would otherwise unfold forever). Every redex that fires is therefore closed, and substituting a
 * closed argument never needs to shift its indices.
 */
final class LambdaTerms {

    /** Application, arity 2: the function, then the argument. */
    static final String APPLY = "@";
    /** Abstraction, arity 1: binds {@code #0} in its body. */
    static final String LAMBDA = "lam";

    private static final String VARIABLE = "#";
    private static final String MATCH = "match:";

    private LambdaTerms() {
    }

    /** The token of the variable with de Bruijn index {@code index}. */
    static String variable(int index) {
        return VARIABLE + index;
    }

    /** The de Bruijn index of a variable token ({@code #0}, {@code #1}, ...), or -1 for any other token. */
    static int index(String token) {
        if (!token.startsWith(VARIABLE) || token.length() == 1) {
            return -1;
        }
        String digits = token.substring(1);
        // One spelling per index: "#01" is not "#1".
        if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 4
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    /** The match token of function {@code function}. */
    static String match(String function) {
        return MATCH + function;
    }

    /** The function a match token belongs to, or null for any other token. */
    static String matchedFunction(String token) {
        return token.startsWith(MATCH) ? token.substring(MATCH.length()) : null;
    }

    /** The arity of {@code @}, {@code lam} and the variables; -1 for other tokens (match arities are per task). */
    static int arity(String token) {
        if (token.equals(APPLY)) {
            return 2;
        }
        if (token.equals(LAMBDA)) {
            return 1;
        }
        return index(token) >= 0 ? 0 : -1;
    }

    /**
     * Where every token of a sequence of terms sits: how many {@code lam}s enclose it, and whether it is frozen
     * (under a {@code lam} or in a match branch, where weak reduction does not look).
     */
    record Scopes(int[] binders, boolean[] frozen) {
    }

    /** The scopes of {@code term}, a sequence of complete terms under {@code arity}. */
    static Scopes scopes(List<String> term, ToIntFunction<String> arity) {
        int[] binders = new int[term.size()];
        boolean[] frozen = new boolean[term.size()];
        // The terms that still have children to start; the top one is the parent of the next token.
        Deque<Node> open = new ArrayDeque<>();
        for (int i = 0; i < term.size(); i++) {
            Node parent = open.peek();
            if (parent != null) {
                binders[i] = parent.binders + (parent.isLambda() ? 1 : 0);
                frozen[i] = parent.frozen || parent.isLambda() || (parent.isMatch() && parent.started > 0);
                parent.started++;
                if (parent.started == parent.children) {
                    open.pop();
                }
            }
            int children = arity.applyAsInt(term.get(i));
            if (children > 0) {
                open.push(new Node(term.get(i), children, binders[i], frozen[i]));
            }
        }
        return new Scopes(binders, frozen);
    }

    /** Whether every variable of {@code term} is bound by a {@code lam} around it. */
    static boolean closed(List<String> term, ToIntFunction<String> arity) {
        int[] binders = scopes(term, arity).binders();
        for (int i = 0; i < term.size(); i++) {
            if (index(term.get(i)) >= binders[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code body[#0 := argument]}: the body of a {@code lam} with its variable replaced by a closed argument.
     * Counting the binders while walking the body, the variable is {@code #d} under d more binders; variables
     * bound further out lose the removed binder and their index decreases by one.
     */
    static List<String> instantiate(List<String> body, List<String> argument, ToIntFunction<String> arity) {
        int[] binders = scopes(body, arity).binders();
        List<String> out = new ArrayList<>(body.size() + argument.size());
        for (int i = 0; i < body.size(); i++) {
            int index = index(body.get(i));
            if (index < 0 || index < binders[i]) {
                out.add(body.get(i));
            } else if (index == binders[i]) {
                out.addAll(argument);
            } else {
                out.add(variable(index - 1));
            }
        }
        return out;
    }

    /** A term whose children are still being read. */
    private static final class Node {
        final String head;
        final int children;
        final int binders;
        final boolean frozen;
        int started;

        Node(String head, int children, int binders, boolean frozen) {
            this.head = head;
            this.children = children;
            this.binders = binders;
            this.frozen = frozen;
        }

        boolean isLambda() {
            return head.equals(LAMBDA);
        }

        boolean isMatch() {
            return head.startsWith(MATCH);
        }
    }
}
