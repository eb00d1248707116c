package org.recursa.runstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The Wilson 95% interval that runs record for accuracies, against closed forms and published values. */
class WilsonIntervalTest {

    /** Published values are rounded to 4 decimals. */
    private static final double TABLE = 5e-5;

    @Test
    void noSuccessesAndAllSuccessesHaveTheirClosedForms() {
        // At p = 0 the interval is [0, z²/(n + z²)]; at p = 1 it is [n/(n + z²), 1].
        double z2 = 1.959963984540054 * 1.959963984540054;
        FinalRecord.Interval none = FinalRecord.Interval.wilson(0, 10);
        assertThat(none.low()).isEqualTo(0.0);
        assertThat(none.high()).isCloseTo(z2 / (10 + z2), within(1e-12)).isCloseTo(0.2775, within(TABLE));
        FinalRecord.Interval all = FinalRecord.Interval.wilson(10, 10);
        assertThat(all.low()).isCloseTo(10 / (10 + z2), within(1e-12)).isCloseTo(0.7225, within(TABLE));
        assertThat(all.high()).isEqualTo(1.0);
    }

    @Test
    void halfIsSymmetricAroundOneHalf() {
        FinalRecord.Interval half = FinalRecord.Interval.wilson(5, 10);
        assertThat(half.low()).isCloseTo(0.2366, within(TABLE));
        assertThat(half.high()).isCloseTo(0.7634, within(TABLE));
        assertThat(half.low() + half.high()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void agreesWithNewcombesTable() {
        // R. G. Newcombe, Two-sided confidence intervals for the single proportion: comparison of seven methods,
        // Statistics in Medicine 17 (1998) 857-872, Table I, method 3 (Wilson score interval without correction).
        double[][] rows = {
            {81, 263, 0.2553, 0.3662},
            {15, 148, 0.0624, 0.1605},
            {0, 20, 0.0000, 0.1611},
            {1, 29, 0.0061, 0.1718},
        };
        for (double[] row : rows) {
            FinalRecord.Interval interval = FinalRecord.Interval.wilson(row[0], (int) row[1]);
            assertThat(interval.low()).as("%d/%d", (int) row[0], (int) row[1]).isCloseTo(row[2], within(TABLE));
            assertThat(interval.high()).as("%d/%d", (int) row[0], (int) row[1]).isCloseTo(row[3], within(TABLE));
        }
    }

    @Test
    void itNarrowsWithMoreTrialsAndAlwaysHoldsTheEstimate() {
        double previous = 1;
        for (int n : new int[] {4, 16, 64, 256, 1024}) {
            FinalRecord.Interval interval = FinalRecord.Interval.wilson(0.9 * n, n);
            assertThat(interval.low()).isLessThan(0.9);
            assertThat(interval.high()).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
            assertThat(interval.high() - interval.low()).as("n = %d", n).isLessThan(previous);
            previous = interval.high() - interval.low();
        }
        assertThat(FinalRecord.Interval.wilson(0, 0)).as("no trials, no information")
                .isEqualTo(new FinalRecord.Interval(0, 1));
    }

    @Test
    void aRunRecordedBeforeIntervalsGetsOneFromItsAccuracy() {
        FinalRecord.SplitResult old = new FinalRecord.SplitResult(10, 0.8, 0.5, null, java.util.Map.of());
        assertThat(old.distinctInputs()).isNull();
        assertThat(old.seqAccIntervalOrDerived()).isEqualTo(FinalRecord.Interval.wilson(5, 10));
    }
}
