package org.recursa.api.decode;

import java.util.List;

/**
 * A sampler's output.
 *
 * @param outputs        generated token ids per prompt, without the prompt and without the stop token
 * @param modelCalls     forward passes the sampler made (a cost measure independent of the machine)
 * @param generatedTokens tokens generated over all rows
 * @param seconds        wall-clock time spent decoding
 */
public record Decoded(List<int[]> outputs, long modelCalls, long generatedTokens, double seconds) {

    /** Copies the list. */
    public Decoded {
        outputs = List.copyOf(outputs);
    }

    /** Generated tokens per second of wall-clock time. */
    public double tokensPerSecond() {
        return seconds > 0 ? generatedTokens / seconds : 0;
    }
}
