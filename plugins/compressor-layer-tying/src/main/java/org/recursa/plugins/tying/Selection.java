package org.recursa.plugins.tying;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the B shared layers are chosen from the L vanilla layers (Bae et al., §3.1; the authors'
 * {@code selection_initialize} and {@code average_initialize}). Under CYCLE sharing, shared layer b runs at depths
 * {@code b, b + B, b + 2B, ...}: those are the layers tied to it.
 */
enum Selection {

    /** Layer {@code round(linspace(0, L-1, B))[b]}: spread over the depth, first and last layer kept. */
    STEPWISE,
    /** The mean of the layers tied to b. */
    AVERAGE,
    /** Layer b: the first B layers. */
    LOWER;

    /** The setting value naming this selection. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The selection a setting value names. */
    static Selection of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /**
     * The vanilla layers shared layer b is made from; their weights are averaged (one layer for Stepwise and Lower).
     *
     * @param halfEven Stepwise rounds a half to even (numpy's {@code round}, as the authors' code), else up
     */
    List<Integer> sources(int b, int layers, int shared, boolean halfEven) {
        return switch (this) {
            case STEPWISE -> List.of(stepwise(b, layers, shared, halfEven));
            case LOWER -> List.of(b);
            case AVERAGE -> tied(b, layers, shared);
        };
    }

    /** {@code round(linspace(0, L-1, B))[b]}, rounding halves to even (numpy) or up. */
    static int stepwise(int b, int layers, int shared, boolean halfEven) {
        if (shared == 1) {
            return 0;                                  // linspace(0, L-1, 1) is [0]
        }
        double position = (double) b * (layers - 1) / (shared - 1);
        return (int) (halfEven ? Math.rint(position) : Math.round(position));
    }

    /** The depths CYCLE runs shared layer b at: {@code b, b + B, ...}. */
    static List<Integer> tied(int b, int layers, int shared) {
        List<Integer> tied = new ArrayList<>();
        for (int l = b; l < layers; l += shared) {
            tied.add(l);
        }
        return tied;
    }
}
