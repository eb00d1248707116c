package org.recursa.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code --grid}, {@code --random} and {@code --seeds} accept, and the exact error for what they do not. */
class SweepSpecTest {

    @Test
    void gridAxesKeepTheirValuesInOrder() {
        assertThat(GridAxis.parse("arch=vanilla, universal,mor")).isEqualTo(new GridAxis("arch",
                List.of("vanilla", "universal", "mor")));
        assertThat(GridAxis.parse("arch.d_model=64").values()).containsExactly("64");
        assertThat(GridAxis.parse("train.lr=1e-3,3e-4").toString()).isEqualTo("train.lr=1e-3,3e-4");
    }

    @Test
    void malformedGridAxesAreOneLineEach() {
        String[][] cases = {
            {"arch", "--grid 'arch': expected KEY=VALUE,VALUE,... as in --grid arch=vanilla,universal"},
            {"=a,b", "--grid '=a,b': the key before '=' is empty"},
            {"arch=", "--grid 'arch=': no values after '='; expected KEY=VALUE,VALUE,..."},
            {"arch=vanilla,,mor", "--grid 'arch=vanilla,,mor': value 2 is empty; separate values with single commas"},
            {"arch=mor,mor", "--grid 'arch=mor,mor': value 'mor' is given twice"},
            {"a b=1,2", "--grid 'a b=1,2': invalid key 'a b'; a key is letters, digits, '_', '.' or '-', e.g. "
                    + "arch.d_model"},
            {"seed=1,2", "--grid 'seed=1,2': seeds are swept with --seeds, e.g. --seeds 1..5"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> GridAxis.parse(c[0])).as(c[0]).isInstanceOf(SweepSyntaxException.class)
                    .hasMessage(c[1]);
        }
    }

    @Test
    void randomAxesNameTheirDistribution() {
        assertThat(RandomAxis.parse("train.lr=loguniform:1e-4:1e-2")).isEqualTo(new RandomAxis("train.lr",
                "loguniform", List.of("1e-4", "1e-2")));
        assertThat(RandomAxis.parse("arch=choice:vanilla,mor").arguments()).containsExactly("vanilla", "mor");
        assertThat(RandomAxis.parse("arch.layers=int:1:4").toString()).isEqualTo("arch.layers=int:1:4");
        assertThat(RandomAxis.parse("arch=choice:vanilla,mor").toString()).isEqualTo("arch=choice:vanilla,mor");
    }

    @Test
    void malformedRandomAxesAreOneLineEach() {
        String kinds = "uniform:LOW:HIGH, loguniform:LOW:HIGH, int:LOW:HIGH, choice:A,B,...";
        String[][] cases = {
            {"train.lr", "--random 'train.lr': expected KEY=DISTRIBUTION, as in --random "
                    + "train.lr=loguniform:1e-4:1e-2; distributions: " + kinds},
            {"train.lr=logunifrm:1e-4:1e-2", "--random 'train.lr=logunifrm:1e-4:1e-2': unknown distribution "
                    + "'logunifrm'; distributions: " + kinds},
            {"train.lr=loguniform:1e-4", "--random 'train.lr=loguniform:1e-4': expected loguniform:LOW:HIGH with two "
                    + "numbers"},
            {"train.lr=loguniform:0:1", "--random 'train.lr=loguniform:0:1': loguniform needs 0 < LOW, got 0"},
            {"train.lr=uniform:1:x", "--random 'train.lr=uniform:1:x': 'x' is not a number; expected "
                    + "uniform:LOW:HIGH"},
            {"train.lr=uniform:2:1", "--random 'train.lr=uniform:2:1': LOW must be below HIGH, got 2 and 1"},
            {"arch.layers=int:1.5:3", "--random 'arch.layers=int:1.5:3': '1.5' is not an integer; expected "
                    + "int:LOW:HIGH"},
            {"arch.layers=int:4:3", "--random 'arch.layers=int:4:3': LOW must not be above HIGH, got 4 and 3"},
            {"arch=choice:a,,b", "--random 'arch=choice:a,,b': a choice is empty; expected choice:A,B,..."},
            {"arch=choice:a,a", "--random 'arch=choice:a,a': a choice is given twice"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> RandomAxis.parse(c[0])).as(c[0]).isInstanceOf(SweepSyntaxException.class)
                    .hasMessage(c[1]);
        }
    }

    @Test
    void seedsAreSingleValuesRangesOrLists() {
        assertThat(Seeds.parse("1..5")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(Seeds.parse("7")).containsExactly(7L);
        assertThat(Seeds.parse("1..3, 9,11")).containsExactly(1L, 2L, 3L, 9L, 11L);
        assertThat(Seeds.describe(List.of(1L, 2L, 3L, 9L, 11L, 12L))).isEqualTo("1..3,9,11,12");
        String[][] cases = {
            {"5..1", "--seeds '5..1': the range 5..1 is empty; write LOW..HIGH with LOW <= HIGH"},
            {"a", "--seeds 'a': 'a' is not a seed; expected SEED, LOW..HIGH or a comma-separated list of them, e.g. "
                    + "1..5"},
            {"1..3,2", "--seeds '1..3,2': seed 2 is given twice"},
            {"1..", "--seeds '1..': '' is not a seed; expected SEED, LOW..HIGH or a comma-separated list of them, "
                    + "e.g. 1..5"},
            {"1..5000", "--seeds '1..5000': more than 1000 seeds"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> Seeds.parse(c[0])).as(c[0]).isInstanceOf(SweepSyntaxException.class)
                    .hasMessage(c[1]);
        }
    }

    @Test
    void aSpecRefusesWhatDoesNotFitTogether() {
        List<GridAxis> archs = List.of(GridAxis.parse("arch=vanilla,mor"));
        List<RandomAxis> lr = List.of(RandomAxis.parse("train.lr=loguniform:1e-4:1e-2"));
        List<Long> seeds = List.of(1L);
        assertThatThrownBy(() -> spec("mor", Map.of(), archs, List.of(), 0, seeds))
                .hasMessage("--arch mor and a swept 'arch' both choose the architecture; give one of them");
        assertThatThrownBy(() -> spec(null, Map.of(), List.of(), List.of(), 0, seeds))
                .hasMessage("no architecture: give --arch ID, --grid arch=ID,ID,... or --random arch=choice:ID,ID,...");
        assertThatThrownBy(() -> spec(null, Map.of(), List.of(GridAxis.parse("train.lr=1,2")), lr, 3, seeds))
                .hasMessage("no architecture: give --arch ID, --grid arch=ID,ID,... or --random arch=choice:ID,ID,...");
        assertThatThrownBy(() -> spec("mor", Map.of(), List.of(GridAxis.parse("train.lr=1,2")), lr, 3, seeds))
                .hasMessage("'train.lr' is swept twice; give each key in one --grid or --random");
        assertThatThrownBy(() -> spec(null, Map.of("train.steps", "5"), List.of(archs.get(0),
                GridAxis.parse("train.steps=1,2")), List.of(), 0, seeds))
                .hasMessage("'train.steps' is both set (--set) and swept; give it in one place");
        assertThatThrownBy(() -> spec("mor", Map.of(), List.of(), lr, 0, seeds))
                .hasMessage("--random needs --trials N, the number of draws");
        assertThatThrownBy(() -> spec(null, Map.of(), archs, List.of(), 4, seeds))
                .hasMessage("--trials needs at least one --random KEY=DISTRIBUTION to draw");
        assertThatThrownBy(() -> spec(null, Map.of(), List.of(archs.get(0), GridAxis.parse("a=" + values(400)),
                GridAxis.parse("b=" + values(400))), List.of(), 0, seeds))
                .hasMessage("the sweep has more than 100,000 points (configurations x seeds); split it or sweep fewer "
                        + "values");
        assertThat(spec(null, Map.of("train.steps", "5"), archs, lr, 8, Seeds.parse("1..5")).sweptKeys())
                .containsExactly("arch", "train.lr");
    }

    private static String values(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : ",").append(i);
        }
        return text.toString();
    }

    static SweepSpec spec(String arch, Map<String, String> settings, List<GridAxis> grid, List<RandomAxis> random,
                          int trials, List<Long> seeds) {
        return new SweepSpec("copy", "io", "greedy", arch, settings, grid, random, trials, 1, seeds);
    }
}
