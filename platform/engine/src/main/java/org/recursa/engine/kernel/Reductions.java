package org.recursa.engine.kernel;

/**
 * Float sums and maxima over short runs (one row of activations). A single running sum is a chain of dependent
 * additions, each waiting for the last; four independent partial results keep the floating-point unit busy, and
 * for sums the grouping is also slightly more accurate than one running sum.
 */
final class Reductions {

    private Reductions() {
    }

    /** {@code sum(a[from .. from + n))}. */
    static float sum(float[] a, int from, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[from + i];
            s1 += a[from + i + 1];
            s2 += a[from + i + 2];
            s3 += a[from + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[from + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code max(a[from .. from + n))}, n at least 1. */
    static float max(float[] a, int from, int n) {
        float m0 = a[from];
        float m1 = m0;
        float m2 = m0;
        float m3 = m0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            m0 = Math.max(m0, a[from + i]);
            m1 = Math.max(m1, a[from + i + 1]);
            m2 = Math.max(m2, a[from + i + 2]);
            m3 = Math.max(m3, a[from + i + 3]);
        }
        for (; i < n; i++) {
            m0 = Math.max(m0, a[from + i]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** {@code sum((a[i] - mean)^2)} over {@code a[from .. from + n)}. */
    static float sumOfSquaredDeviations(float[] a, int from, int n, float mean) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            float d0 = a[from + i] - mean;
            float d1 = a[from + i + 1] - mean;
            float d2 = a[from + i + 2] - mean;
            float d3 = a[from + i + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = a[from + i] - mean;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code sum(a[i] * b[i])} over the first {@code n} elements. */
    static float dot(float[] a, float[] b, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
