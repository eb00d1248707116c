package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;

/**
 * A run's training set: {@code train.examples} draws of the task's {@code train} split, made once when the run is
 * prepared. The trainer takes its batches from it epoch by epoch (every example once per epoch, in a seeded order
 * that changes each epoch), and evaluation draws reject every input it contains ({@link HeldOut}). An input's key
 * is its token list (the {@link org.recursa.api.task.Task Task} contract's canonical key).
 */
public final class TrainingSet {

    private static final long ORDER_STREAM = 0x3C6EF372FE94F82BL;

    private final List<Example> examples;
    private final Set<List<String>> inputs;
    private final long seed;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    private TrainingSet(List<Example> examples, long seed) {
        this.examples = List.copyOf(examples);
        Set<List<String>> keys = new HashSet<>();
        for (Example example : examples) {
            keys.add(example.input());
        }
        this.inputs = Set.copyOf(keys);
        this.seed = seed;
    }

    /**
     * Draws the training set of a run: {@code count} examples of {@link Split#TRAIN} with this mode's targets.
     *
     * @param task  the task bound to its settings and mode
     * @param count how many examples (at least 1)
     * @param seed  the run's seed
     */
    public static TrainingSet draw(BoundTask task, int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("a training set needs at least one example, got " + count);
        }
        return new TrainingSet(task.generate(Split.TRAIN, count, seed), seed);
    }

    /** A training set of given examples, for tests and tools; batches are ordered by {@code seed}. */
    public static TrainingSet of(List<Example> examples, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a training set needs at least one example");
        }
        return new TrainingSet(examples, seed);
    }

    /** The examples in the order they were drawn. */
    public List<Example> examples() {
        return examples;
    }

    /** How many examples (with repeated inputs counted each time). */
    public int size() {
        return examples.size();
    }

    /** How many distinct inputs. */
    public int distinctInputs() {
        return inputs.size();
    }

    /** Whether {@code input} (compared as its token list) is a training input. */
    public boolean contains(List<String> input) {
        return inputs.contains(input);
    }

    /**
     * The examples of optimiser step {@code step} (0-based): positions {@code step * batchSize} to
     * {@code (step + 1) * batchSize - 1} of the endless sequence of epochs, each epoch a seeded permutation of the
     * whole set. A pure function of the set, its seed, the step and the batch size.
     */
    public synchronized List<Example> batch(int step, int batchSize) {
        List<Example> batch = new ArrayList<>(batchSize);
        long position = (long) step * batchSize;
        for (int i = 0; i < batchSize; i++, position++) {
            int epoch = (int) (position / examples.size());
            batch.add(examples.get(order(epoch)[(int) (position % examples.size())]));
        }
        return batch;
    }

    /** The permutation of epoch {@code epoch}: Fisher-Yates over a stream of its own. */
    private int[] order(int epoch) {
        if (epoch != cachedEpoch) {
            int[] order = new int[examples.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom((seed ^ ORDER_STREAM) + epoch * 0x9E3779B97F4A7C15L);
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            cachedEpoch = epoch;
            cachedOrder = order;
        }
        return cachedOrder;
    }
}
