package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Terms in prefix notation: every token has a fixed arity, so a term needs no brackets. {@code N 3 L L} is a
 * tree node labelled 3 with two leaves; {@code succ B1 Z} is the successor of one. A <em>sequence</em> is zero or
 * more complete terms side by side; the traversal and reversal tasks read juxtaposition as list append.
 */
final class Terms {

    private Terms() {
    }

    /**
     * Where the term that starts at {@code from} ends (exclusive), or -1 when it runs off the end or contains a
     * token whose arity is negative (not in the task's language).
     */
    static int end(List<String> tokens, int from, ToIntFunction<String> arity) {
        int open = 1;
        int i = from;
        while (open > 0) {
            if (i >= tokens.size()) {
                return -1;
            }
            int a = arity.applyAsInt(tokens.get(i));
            if (a < 0) {
                return -1;
            }
            open += a - 1;
            i++;
        }
        return i;
    }

    /** Whether {@code tokens} is a sequence of complete terms. */
    static boolean isSequence(List<String> tokens, ToIntFunction<String> arity) {
        int i = 0;
        while (i < tokens.size()) {
            int e = end(tokens, i, arity);
            if (e < 0) {
                return false;
            }
            i = e;
        }
        return true;
    }

    /** {@code tokens} with {@code [from, to)} replaced by {@code replacement}. */
    static List<String> splice(List<String> tokens, int from, int to, List<String> replacement) {
        List<String> out = new ArrayList<>(tokens.size() - (to - from) + replacement.size());
        out.addAll(tokens.subList(0, from));
        out.addAll(replacement);
        out.addAll(tokens.subList(to, tokens.size()));
        return out;
    }

    /** Concatenation of token lists. */
    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> part : parts) {
            out.addAll(part);
        }
        return out;
    }
}
