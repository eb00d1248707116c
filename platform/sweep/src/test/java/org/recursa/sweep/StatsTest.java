package org.recursa.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The statistics over seeds against published t-table values and numbers worked out by hand. */
class StatsTest {

    @Test
    void tQuantilesMatchTheTable() {
        // two-sided 95%: t(0.975, df), as printed in any t-table (e.g. NIST/SEMATECH e-Handbook, table 1.4.2.3.7)
        double[][] table = {{1, 12.706}, {2, 4.303}, {3, 3.182}, {4, 2.776}, {5, 2.571}, {9, 2.262}, {10, 2.228},
            {20, 2.086}, {30, 2.042}, {100, 1.984}};
        for (double[] row : table) {
            assertThat(StudentT.quantile(0.975, (int) row[0])).as("df %d", (int) row[0]).isCloseTo(row[1],
                    within(5e-4));
        }
        assertThat(StudentT.quantile(0.975, 1)).isCloseTo(12.7062047, within(1e-6));
        assertThat(StudentT.quantile(0.995, 4)).isCloseTo(4.604, within(5e-4));
        assertThat(StudentT.quantile(0.975, 100_000)).isCloseTo(1.95996, within(1e-4));
    }

    @Test
    void meanSdAndIntervalOfAFewSeeds() {
        Stats stats = Stats.of(0.9, 0.7, 0.8, 1.0);
        assertThat(stats.n()).isEqualTo(4);
        assertThat(stats.mean()).isCloseTo(0.85, within(1e-12));
        // squares: 0.0025 + 0.0225 + 0.0025 + 0.0225 = 0.05; / 3
        assertThat(stats.sd()).isCloseTo(Math.sqrt(0.05 / 3), within(1e-12));
        assertThat(stats.half()).isCloseTo(3.182446305 * Math.sqrt(0.05 / 3) / 2, within(1e-8));
        assertThat(stats.low()).isCloseTo(0.85 - stats.half(), within(1e-12));
        assertThat(stats.high()).isCloseTo(0.85 + stats.half(), within(1e-12));

        Stats two = Stats.of(0.25, 0.75);
        assertThat(two.sd()).isCloseTo(Math.sqrt(0.125), within(1e-12));
        assertThat(two.half()).isCloseTo(12.7062047 * Math.sqrt(0.125) / Math.sqrt(2), within(1e-6));

        Stats one = Stats.of(0.5);
        assertThat(one.mean()).isEqualTo(0.5);
        assertThat(one.sd()).isNaN();
        assertThat(one.half()).isNaN();
        assertThat(Stats.of(0.3, 0.3, 0.3).half()).isZero();
    }
}
