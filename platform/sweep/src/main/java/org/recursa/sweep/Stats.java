package org.recursa.sweep;

/**
 * A metric over the seeds of one configuration: {@code n} values, their mean, their sample standard deviation and
 * the half-width of a 95% t-interval for the mean:
 * <pre>
 *   mean = (1/n) sum x_i
 *   sd   = sqrt( sum (x_i - mean)^2 / (n - 1) )
 *   half = t(0.975, n - 1) * sd / sqrt(n)          the interval is [mean - half, mean + half]
 * </pre>
 * With one value the standard deviation and the interval are undefined ({@code NaN}). The interval assumes the
 * seeds' results are independent draws from a normal distribution; it is not clipped to [0, 1].
 *
 * @param n    how many values
 * @param mean their mean
 * @param sd   sample standard deviation, NaN for n &lt; 2
 * @param half half-width of the 95% interval, NaN for n &lt; 2
 */
public record Stats(int n, double mean, double sd, double half) {

    /** The confidence level of {@link #half}. */
    public static final double LEVEL = 0.95;

    /** The statistics of {@code values} (at least one). */
    public static Stats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int n = values.length;
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new Stats(1, mean, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double half = StudentT.quantile(1 - (1 - LEVEL) / 2, n - 1) * sd / Math.sqrt(n);
        return new Stats(n, mean, sd, half);
    }

    /** The interval's lower end. */
    public double low() {
        return mean - half;
    }

    /** The interval's upper end. */
    public double high() {
        return mean + half;
    }
}
