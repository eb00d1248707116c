package org.recursa.runtime;

import java.util.ArrayList;
import java.util.List;
import org.recursa.api.task.Vocabulary;

/** Splits and joins trace tokens for tests that corrupt one step of a trace. */
final class TraceCheckAccess {

    private TraceCheckAccess() {
    }

    static List<List<String>> split(List<String> tokens) {
        List<List<String>> terms = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String token : tokens) {
            if (token.equals(Vocabulary.STEP)) {
                terms.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        terms.add(current);
        return terms;
    }

    static List<String> join(List<List<String>> terms) {
        List<String> tokens = new ArrayList<>();
        for (List<String> term : terms) {
            if (!tokens.isEmpty()) {
                tokens.add(Vocabulary.STEP);
            }
            tokens.addAll(term);
        }
        return tokens;
    }
}
