package org.recursa.api.task;

import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Config;
import org.recursa.api.Extension;

/**
 * A problem to learn, with everything needed to judge what was learned: a vocabulary, seeded generators
 * for named {@link Split splits}, a reference interpreter, and a checker.
 *
 * <p>Generation is a pure function of {@code (config, split, count, seed)}: the same arguments give the
 * same examples on every machine. A task draws each split from its own random stream.
 *
 * <p><b>Held-out guarantee.</b> A run draws its training set once: {@code generate(config, "train", n, seed)}
 * with {@code n} the run's {@code train.examples} ({@link #trainingExamples} by default); batches are sampled
 * from that finite set. Every evaluation split is then drawn by the host with every input that is in the
 * training set rejected, so no evaluation input is ever a training input, whatever the task does. Two inputs
 * are the same problem exactly when their token lists are equal: the input's tokens are its canonical key, so
 * a task must spell each problem one way. A split that cannot be filled without a training input (every input
 * of its space is in the training set) fails the run with one line naming the split and the size of its space.
 * For the guarantee to measure something, a task should
 * <ul>
 *   <li>give its in-distribution splits ({@code train}, {@link Split#TEST_ID}, edge-case splits) an input space
 *       much larger than its default training set, so that the held-out inputs are a real sample of the
 *       distribution and not its leftovers; where the space is small, partition it: draw {@code train} and the
 *       in-distribution test splits from disjoint parts, the same parts for every seed;</li>
 *   <li>draw every {@link Split#outOfDistribution() out-of-distribution} split from outside the support of
 *       {@code train} (longer, deeper, more carries than any training input can be), not merely from a region
 *       training rarely visits;</li>
 *   <li>include the base cases of its recursion (e.g. {@code succ Z}) among the inputs of {@code train}.</li>
 * </ul>
 * Evaluation splits may repeat an input (they are independent draws from the split's distribution); the host
 * records each split's number of distinct inputs and reports accuracy per example and per distinct input.
 */
@ConsumerType
public interface Task extends Extension {

    /** The training-set size of {@link #trainingExamples} unless a task declares its own. */
    int DEFAULT_TRAINING_EXAMPLES = 10_000;

    /**
     * How many training examples a run draws by default ({@code train.examples} when the user sets none): small
     * enough against the training input space that held-out inputs remain a sample of the distribution, large
     * enough to learn the task. The default, {@value #DEFAULT_TRAINING_EXAMPLES}, suits tasks whose spaces are far
     * larger than that.
     *
     * @param config resolved settings from {@link #schema()}
     * @since 0.3.0
     */
    default int trainingExamples(Config config) {
        return DEFAULT_TRAINING_EXAMPLES;
    }

    /** The vocabulary for {@code config}; its symbols must cover every input and target token. */
    Vocabulary vocabulary(Config config);

    /** The splits this task generates; always includes {@link Split#TRAIN} and {@link Split#TEST_ID}. */
    List<Split> splits(Config config);

    /**
     * Generates examples: {@code count} independent draws from the split's distribution (an input may repeat).
     * The host calls this for {@code train} once per run, and for evaluation splits as often as it needs to
     * replace draws that hit the training set, each time with another seed.
     *
     * @param config resolved settings from {@link #schema()}
     * @param split  the name of one of {@link #splits(Config)}
     * @param count  how many examples
     * @param seed   the random seed
     * @return {@code count} examples of that split
     * @throws IllegalArgumentException for an unknown split name, listing the valid ones
     */
    List<Example> generate(Config config, String split, int count, long seed);

    /**
     * The reference interpreter: derives the answer for an input step by step.
     *
     * @param config resolved settings
     * @param input  input tokens as produced by {@link #generate}
     */
    Derivation derive(Config config, List<String> input);

    /**
     * Every single reduction step that can fire on {@code term}, the step the reference interpreter takes
     * first. Empty when {@code term} is in normal form, and for tasks without a step-wise semantics. The host
     * uses it to check a predicted trace: each predicted term must be one of the reductions of the term
     * before it.
     *
     * @param config resolved settings
     * @param term   a term over the task's vocabulary; it may be malformed (a model wrote it), in which case
     *               no reduction applies
     */
    default List<ReductionStep> reductions(Config config, List<String> term) {
        return List.of();
    }

    /**
     * The modes this task can be trained in. {@link Mode#IO} always; {@link Mode#TRACE} for tasks whose
     * {@link #derive} records every step and whose {@link #reductions} enumerates single steps.
     */
    default Set<Mode> modes() {
        return Set.of(Mode.IO);
    }

    /**
     * Judges a prediction for an example. The default compares tokens with {@link Verdict#compare}.
     *
     * @param example   the example with its target
     * @param predicted the decoded output tokens, without special tokens
     */
    default Verdict check(Example example, List<String> predicted) {
        return Verdict.compare(example.target(), predicted);
    }

    /**
     * Quantities defined at every input token of {@code example}, which {@code recursa probe} tries to read off a
     * trained model's hidden states with linear probes (docs/probes.md): e.g. whether a digit is inside the carry
     * chain, the depth of a tree node. Each feature has one value per token of {@code example.input()}, NaN where
     * it is undefined. The default declares none, and such a task cannot be probed.
     *
     * @param config  resolved settings
     * @param example an example as produced by {@link #generate}
     * @return the features, each named once; the same names and kinds for every example of the task
     * @since 0.3.0
     */
    default List<TokenFeature> tokenFeatures(Config config, Example example) {
        return List.of();
    }
}
