package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.recursa.api.task.Example;
import org.recursa.runtime.UsageException;

/**
 * Draws evaluation examples that are never training inputs: the held-out guarantee of the
 * {@link org.recursa.api.task.Task Task} contract, enforced here for every task. Draws of the split whose input is
 * in the training set are rejected and replaced by further draws (from further seeds) until the split is full. A
 * split whose whole input space is in the training set cannot be filled; that is one line naming the split and the
 * size of its space.
 */
public final class HeldOut {

    /** Fewest draws asked of the task at a time. */
    private static final int ROUND = 1024;
    /**
     * Draws without a new input and without an accepted one after which the space counts as exhausted: at least
     * this many, and at least {@link #SPACE_FACTOR} times the distinct inputs seen. An input the draws have not yet
     * produced then has a chance below e^-16 per input of uniform weight to be missed.
     */
    private static final int EXHAUSTED = 4096;
    private static final int SPACE_FACTOR = 16;
    /** Draws after which a split that still cannot be filled is given up on. */
    private static final long MAX_DRAWS = 2_000_000;
    private static final long ROUND_STREAM = 0xA54FF53A5F1D36F1L;

    private HeldOut() {
    }

    /**
     * {@code count} examples of {@code split}, none of whose inputs is in {@code training}. The first draws are
     * {@code task.generate(split, ..., seed)}, so a split that never meets a training input is exactly what the task
     * generates for {@code seed}; example ids are renumbered {@code split/0}, {@code split/1}, ... in order.
     *
     * @throws UsageException when the split's input space lies inside the training set
     */
    public static List<Example> draw(BoundTask task, String split, int count, long seed, TrainingSet training) {
        List<Example> accepted = new ArrayList<>(count);
        Set<List<String>> seen = new HashSet<>();
        long drawn = 0;
        long sinceAccepted = 0;
        long sinceNewInput = 0;
        for (int round = 0; accepted.size() < count; round++) {
            int want = (int) Math.min(Math.max(ROUND, 4L * (count - accepted.size())), 1 << 16);
            long roundSeed = round == 0 ? seed : (seed ^ ROUND_STREAM) + round * 0x9E3779B97F4A7C15L;
            for (Example example : task.generate(split, want, roundSeed)) {
                drawn++;
                sinceNewInput = seen.add(example.input()) ? 0 : sinceNewInput + 1;
                if (training.contains(example.input())) {
                    sinceAccepted++;
                } else {
                    sinceAccepted = 0;
                    accepted.add(new Example(split + "/" + accepted.size(), example.split(), example.input(),
                            example.target(), example.features()));
                    if (accepted.size() == count) {
                        break;
                    }
                }
                long exhausted = Math.max(EXHAUSTED, (long) SPACE_FACTOR * seen.size());
                if (sinceAccepted >= exhausted && sinceNewInput >= exhausted && accepted.isEmpty()) {
                    throw new UsageException(String.format(Locale.ROOT, "split '%s' cannot be drawn outside the "
                            + "training set: all %,d inputs of its space are training inputs (train.examples=%d); "
                            + "widen the task's settings or lower train.examples", split, seen.size(),
                            training.size()));
                }
                if (drawn >= MAX_DRAWS) {
                    throw new UsageException(String.format(Locale.ROOT, "split '%s' cannot be drawn outside the "
                            + "training set: %,d draws gave %d of %d examples (its space has at least %,d inputs, "
                            + "almost all training inputs, train.examples=%d); widen the task's settings or lower "
                            + "train.examples", split, drawn, accepted.size(), count, seen.size(), training.size()));
                }
            }
        }
        return accepted;
    }
}
