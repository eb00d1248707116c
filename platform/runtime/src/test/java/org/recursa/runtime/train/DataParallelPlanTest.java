package org.recursa.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a batch's rows are shared among data-parallel workers. */
class DataParallelPlanTest {

    @Test
    void rowsOfOneLengthAreCutIntoOneContiguousShareEachInOrder() {
        int[] lengths = new int[10];
        Arrays.fill(lengths, 32);
        List<List<int[]>> shares = DataParallel.plan(lengths, 3);
        assertThat(shares).hasSize(3);
        assertThat(shares).allSatisfy(share -> assertThat(share).hasSize(1));
        assertThat(flatten(shares)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(DataParallel.plan(lengths, 1)).hasSize(1);
        assertThat(DataParallel.plan(lengths, 1).get(0)).hasSize(1);
    }

    @Test
    void rowsOfVeryDifferentLengthsAreGroupedByLengthEachWorkerAShortAndALongGroup() {
        int[] lengths = {27, 3, 15, 9, 21, 5, 25, 11};
        List<List<int[]>> shares = DataParallel.plan(lengths, 2);
        assertThat(shares).hasSize(2);
        // sorted by length: 1(3) 5(5) | 3(9) 7(11) | 2(15) 4(21) | 6(25) 0(27)
        assertThat(shares.get(0).get(0)).containsExactly(1, 5);
        assertThat(shares.get(0).get(1)).containsExactly(0, 6);
        assertThat(shares.get(1).get(0)).containsExactly(3, 7);
        assertThat(shares.get(1).get(1)).containsExactly(2, 4);
        assertThat(flatten(shares)).as("every row exactly once").containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(padded(lengths, shares)).isLessThanOrEqualTo((int) (0.8 * 27 * 8));
        List<List<int[]>> alone = DataParallel.plan(lengths, 1);
        assertThat(alone).as("one worker still groups by length").hasSize(1);
        assertThat(alone.get(0)).hasSize(2);
    }

    @Test
    void neverMoreWorkersThanRows() {
        assertThat(DataParallel.plan(new int[] {4, 9}, 8)).hasSize(2);
        assertThat(flatten(DataParallel.plan(new int[] {4}, 8))).containsExactly(0);
    }

    private static List<Integer> flatten(List<List<int[]>> shares) {
        List<Integer> rows = new ArrayList<>();
        shares.forEach(share -> share.forEach(group -> Arrays.stream(group).forEach(rows::add)));
        return rows;
    }

    /** Tokens computed when each group is padded to its longest row. */
    private static int padded(int[] lengths, List<List<int[]>> shares) {
        int tokens = 0;
        for (List<int[]> share : shares) {
            for (int[] group : share) {
                tokens += group.length * Arrays.stream(group).map(row -> lengths[row]).max().orElse(0);
            }
        }
        return tokens;
    }
}
