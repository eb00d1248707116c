package org.recursa.api.decode;

/**
 * One candidate output of a row, as an n-best list holds it.
 *
 * @param tokens        generated token ids, without the prompt and the stop token
 * @param logProbability the sum of the model's log-probabilities of the tokens (and of the stop token when the
 *                      candidate ended with it)
 * @param score         what the sampler ranked candidates by (e.g. the length-penalised log-probability)
 * @since 0.2.0
 */
public record Hypothesis(int[] tokens, double logProbability, double score) {

    /** Copies the tokens. */
    public Hypothesis {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
