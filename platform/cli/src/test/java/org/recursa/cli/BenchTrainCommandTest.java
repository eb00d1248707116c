package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchTrainCommandTest {

    @Test
    void benchReadingsTakeTheMiddleValue() {
        assertThat(BenchTrainCommand.Readings.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(BenchTrainCommand.Readings.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        BenchTrainCommand.Readings readings = new BenchTrainCommand.Readings();
        readings.add(100, Optional.of(new BenchTrainCommand.Best(50.0, 2)));
        readings.add(90, Optional.of(new BenchTrainCommand.Best(100.0, 1)));
        readings.add(120, Optional.of(new BenchTrainCommand.Best(100.0, 1)));
        assertThat(readings.cells("vanilla", 128, true))
                .containsExactly("vanilla", 128, "100", "100", "2,1,1", "1.20x", "0.90-2.00x");
        BenchTrainCommand.Readings alone = new BenchTrainCommand.Readings();
        alone.add(1234.4, Optional.empty());
        assertThat(alone.cells("sliced", 256, false)).containsExactly("sliced", 256, "1,234", "-", "-", "-");
    }
}
