package org.recursa.sweep;

/**
 * Quantiles of Student's t distribution, for confidence intervals over a handful of seeds. The distribution function
 * is the regularised incomplete beta function, {@code P(T <= t) = 1 - I_x(df/2, 1/2) / 2} with
 * {@code x = df / (df + t^2)} for {@code t >= 0}, evaluated by its continued fraction (Numerical Recipes, 3rd ed.,
 * section 6.4); the quantile is found by bisection to within 1e-10.
 */
public final class StudentT {

    private StudentT() {
    }

    /**
     * The {@code p}-quantile of the t distribution with {@code df} degrees of freedom, {@code p} in (0.5, 1): e.g.
     * {@code quantile(0.975, 1) = 12.7062}, {@code quantile(0.975, 4) = 2.7764}.
     */
    public static double quantile(double p, int df) {
        if (!(p > 0.5 && p < 1) || df < 1) {
            throw new IllegalArgumentException("need 0.5 < p < 1 and df >= 1, got p=" + p + " df=" + df);
        }
        double low = 0;
        double high = 1;
        while (cdf(high, df) < p) {
            high *= 2;
        }
        while (high - low > 1e-10 * Math.max(1, high)) {
            double mid = (low + high) / 2;
            if (cdf(mid, df) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** {@code P(T <= t)} for {@code t >= 0}. */
    static double cdf(double t, int df) {
        double x = df / (df + t * t);
        return 1 - 0.5 * regularizedBeta(x, df / 2.0, 0.5);
    }

    /** {@code I_x(a, b)}. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    /** The continued fraction of the incomplete beta function, by the modified Lentz method. */
    private static double continuedFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + even / c;
            c = Math.abs(c) < tiny ? tiny : c;
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + odd / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    /** {@code ln Γ(x)} for {@code x > 0}, Lanczos' approximation (g = 7, n = 9), good to about 1e-15. */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        double z = x - 1;
        double sum = g[0];
        for (int i = 1; i < g.length; i++) {
            sum += g[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
