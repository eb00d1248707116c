package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.recursa.runtime.train.DepthCurriculum;

class DepthCurriculumTest {

    @Test
    void cgarStagesOfTheTrmBaseAreOneTwoThreeOuterCycles() {
        DepthCurriculum cgar = DepthCurriculum.of("cgar", "0.3,0.6");
        assertThat(IntStream.of(0, 29, 30, 59, 60, 99).map(step -> cgar.depthAt(step, 100, 3)).toArray())
                .containsExactly(1, 1, 2, 2, 3, 3);
        // Depth 8: ceil(8/3) = 3, ceil(16/3) = 6, 8; never below one recursion.
        assertThat(IntStream.of(0, 30, 60).map(step -> cgar.depthAt(step, 100, 8)).toArray()).containsExactly(3, 6, 8);
        assertThat(cgar.depthAt(0, 100, 1)).isEqualTo(1);
    }

    @Test
    void kThresholdsMakeKPlusOneEqualStages() {
        DepthCurriculum halves = DepthCurriculum.of("cgar", "0.5");
        assertThat(halves.depthAt(49, 100, 4)).isEqualTo(2);
        assertThat(halves.depthAt(50, 100, 4)).isEqualTo(4);
        assertThat(DepthCurriculum.of("none", "ignored").depthAt(0, 100, 4)).isEqualTo(4);
        assertThat(DepthCurriculum.of("none", "").active()).isFalse();
    }
}
