package org.recursa.api.task;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a model is trained to produce for a task's input.
 *
 * <p>In {@link #IO} mode the target is the final answer. In {@link #TRACE} mode it is the whole reduction
 * trace: the term after every step of the reference {@link Derivation}, separated by {@link Vocabulary#STEP},
 * the last term being the answer. The host builds trace targets from {@link Task#derive} and checks predicted
 * traces step by step with {@link Task#reductions}, so a task supports trace mode by implementing those two.
 */
public enum Mode {

    /** Input to final answer. */
    IO("io"),
    /** Input to the sequence of intermediate terms, one reduction step at a time. */
    TRACE("trace");

    private final String id;

    Mode(String id) {
        this.id = id;
    }

    /** The name used on the command line and in run records: {@code io} or {@code trace}. */
    public String id() {
        return id;
    }

    /**
     * The mode named {@code id}.
     *
     * @throws IllegalArgumentException naming the valid modes
     */
    public static Mode of(String id) {
        for (Mode mode : values()) {
            if (mode.id.equals(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + id + "'; valid modes: "
                + Arrays.stream(values()).map(Mode::id).collect(Collectors.joining(", ")));
    }
}
