package org.recursa.api.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens of a task. Ids 0 to 3 are always the special tokens {@link #PAD}, {@link #SEP}, {@link #EOS}
 * and {@link #STEP}; the task's own symbols follow in the order given. A model sees a sequence
 * {@code input SEP output EOS}, right-padded with PAD. In {@link Mode#TRACE trace mode} the output is the
 * derivation's terms separated by STEP.
 */
public final class Vocabulary {

    /** Padding; never predicted, ignored by the loss. */
    public static final String PAD = "<pad>";
    /** Separates the input from the output. */
    public static final String SEP = "<sep>";
    /** Ends the output. */
    public static final String EOS = "<eos>";

    /** Separates the terms of a reduction trace (trace mode). */
    public static final String STEP = "<step>";

    /** Id of {@link #PAD}. */
    public static final int PAD_ID = 0;
    /** Id of {@link #SEP}. */
    public static final int SEP_ID = 1;
    /** Id of {@link #EOS}. */
    public static final int EOS_ID = 2;
    /** Id of {@link #STEP}. */
    public static final int STEP_ID = 3;

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = Collections.unmodifiableList(tokens);
        Map<String, Integer> byToken = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (byToken.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("token '" + tokens.get(i) + "' appears twice in the vocabulary");
            }
        }
        this.ids = byToken;
    }

    /**
     * A vocabulary of the special tokens followed by {@code symbols}.
     *
     * @param symbols the task's own tokens, distinct, none of them a special token
     */
    public static Vocabulary of(List<String> symbols) {
        List<String> all = new ArrayList<>(List.of(PAD, SEP, EOS, STEP));
        all.addAll(symbols);
        return new Vocabulary(all);
    }

    /** Number of tokens, special ones included. */
    public int size() {
        return tokens.size();
    }

    /** Every token in id order. */
    public List<String> tokens() {
        return tokens;
    }

    /** The token with id {@code id}. */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, " + tokens.size() + ")");
        }
        return tokens.get(id);
    }

    /** The id of {@code token}. */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary " + tokens);
        }
        return id;
    }

    /** Ids of {@code tokens}, in order. */
    public int[] encode(List<String> tokens) {
        return tokens.stream().mapToInt(this::id).toArray();
    }

    /** Tokens of {@code ids}, in order. */
    public List<String> decode(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(token(id));
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary that && tokens.equals(that.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary" + tokens;
    }
}
