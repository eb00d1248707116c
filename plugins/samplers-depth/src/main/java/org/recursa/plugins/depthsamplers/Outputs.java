package org.recursa.plugins.depthsamplers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Hypothesis;
import org.recursa.api.model.DecodeSession;

/** What a sampler generated per row so far: tokens, their log-probability, and the depth spent on each. */
final class Outputs {

    private final int[][] tokens;
    private final int[] counts;
    private final double[] logProbabilities;
    private final int[][] depths;
    private final int[] depthCounts;
    private final boolean[] done;
    private long generated;

    Outputs(int rows, int capacity) {
        tokens = new int[rows][capacity];
        counts = new int[rows];
        logProbabilities = new double[rows];
        depths = new int[rows][capacity + 1];
        depthCounts = new int[rows];
        done = new boolean[rows];
    }

    /** Records that {@code token} was chosen for {@code row} with log-probability {@code logProbability}. */
    void add(int row, int token, double logProbability, boolean stop) {
        logProbabilities[row] += logProbability;
        generated++;
        if (stop) {
            done[row] = true;
        } else {
            tokens[row][counts[row]++] = token;
        }
    }

    /** Records the depth spent on a token of {@code row}. */
    void depth(int row, int depth) {
        depths[row][depthCounts[row]++] = depth;
    }

    void finish(int row) {
        done[row] = true;
    }

    boolean done(int row) {
        return done[row];
    }

    int count(int row) {
        return counts[row];
    }

    /** The rows not yet done. */
    int[] active() {
        return java.util.stream.IntStream.range(0, done.length).filter(r -> !done[r]).toArray();
    }

    Decoded decoded(DecodeSession session, long startNanos) {
        List<int[]> outputs = new ArrayList<>();
        List<List<Hypothesis>> nBest = new ArrayList<>();
        List<int[]> depthLists = new ArrayList<>();
        for (int r = 0; r < tokens.length; r++) {
            int[] output = Arrays.copyOf(tokens[r], counts[r]);
            outputs.add(output);
            nBest.add(List.of(new Hypothesis(output, logProbabilities[r], logProbabilities[r])));
            depthLists.add(Arrays.copyOf(depths[r], depthCounts[r]));
        }
        return new Decoded(outputs, session.forwardPasses(), generated, (System.nanoTime() - startNanos) / 1e9,
                logProbabilities, nBest, depthLists, session.flops());
    }
}
