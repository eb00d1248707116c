package org.recursa.plugins.compressors;

import java.util.Arrays;
import java.util.List;

/**
 * Unstructured magnitude pruning (Han et al. 2015): zeroes exactly the k values of smallest |w| among a group of
 * arrays, ties broken by position, so that the count is exact however many values share the threshold.
 */
final class MagnitudePruner {

    private MagnitudePruner() {
    }

    /**
     * Sets the {@code k} smallest-magnitude values of {@code group} to +0.0, in place.
     *
     * @param group the arrays ranked together: one tensor (scope=layer) or all prunable ones (scope=global)
     * @param k     how many to zero, at most the group's size
     * @return how many values of each array were selected (some may have been zero already)
     */
    static long[] prune(List<float[]> group, long k) {
        long[] selected = new long[group.size()];
        if (k <= 0) {
            return selected;
        }
        long size = group.stream().mapToLong(values -> values.length).sum();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many values to rank at once: " + size + "; use scope=layer");
        }
        float[] magnitudes = new float[(int) size];
        int at = 0;
        for (float[] values : group) {
            for (float value : values) {
                magnitudes[at++] = Math.abs(value);
            }
        }
        Arrays.sort(magnitudes);
        float threshold = magnitudes[(int) Math.min(k, size) - 1];
        long below = 0;
        for (float magnitude : magnitudes) {
            if (magnitude >= threshold) {
                break;
            }
            below++;
        }
        long ties = Math.min(k, size) - below;   // values at the threshold still to zero, first ones first
        for (int a = 0; a < group.size(); a++) {
            float[] values = group.get(a);
            for (int i = 0; i < values.length; i++) {
                float magnitude = Math.abs(values[i]);
                if (magnitude < threshold || (magnitude == threshold && ties-- > 0)) {
                    values[i] = 0f;
                    selected[a]++;
                }
            }
        }
        return selected;
    }
}
