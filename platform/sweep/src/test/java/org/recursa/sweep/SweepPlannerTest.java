package org.recursa.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How a spec expands into configurations and points. */
class SweepPlannerTest {

    @Test
    void aGridTimesSeedsRunsEveryConfigurationWithEverySeedSeedBySeed() {
        SweepSpec spec = new SweepSpec("binary-successor", "io", "greedy", null, Map.of("train.steps", "50"),
                List.of(GridAxis.parse("arch=vanilla,universal,mor"), GridAxis.parse("arch.d_model=64,128")),
                List.of(), 0, 1, Seeds.parse("1..5"));
        List<Configuration> configurations = SweepPlanner.configurations(spec);
        assertThat(configurations).extracting(Configuration::label).containsExactly(
                "arch=vanilla arch.d_model=64", "arch=vanilla arch.d_model=128",
                "arch=universal arch.d_model=64", "arch=universal arch.d_model=128",
                "arch=mor arch.d_model=64", "arch=mor arch.d_model=128");
        assertThat(configurations.get(3).arch()).isEqualTo("universal");
        assertThat(configurations.get(3).settings()).containsExactly(Map.entry("train.steps", "50"),
                Map.entry("arch.d_model", "128"));

        List<SweepPoint> points = SweepPlanner.points(spec);
        assertThat(points).hasSize(30);
        assertThat(points).extracting(SweepPoint::key).startsWith("p001", "p002").endsWith("p030")
                .doesNotHaveDuplicates();
        assertThat(points.subList(0, 6)).allMatch(p -> p.seed() == 1);
        assertThat(points.subList(24, 30)).allMatch(p -> p.seed() == 5);
        assertThat(points.get(7)).isEqualTo(new SweepPoint("p008", "arch=vanilla arch.d_model=128", "vanilla", 2,
                ordered("arch", "vanilla", "arch.d_model", "128"),
                ordered("train.steps", "50", "arch.d_model", "128")));
        assertThat(points.get(7).tags("s1")).containsExactly(Map.entry("sweep", "s1"), Map.entry("sweep.point", "p008"),
                Map.entry("sweep.config", "arch=vanilla arch.d_model=128"), Map.entry("sweep.arch", "vanilla"),
                Map.entry("sweep.arch.d_model", "128"));
        assertThat(points.get(7).describe()).isEqualTo("p008 arch=vanilla arch.d_model=128 seed=2");
        assertThat(SweepPlanner.points(spec)).as("the same spec, the same points").isEqualTo(points);
    }

    @Test
    void seedsAloneMakeOneBaseConfiguration() {
        SweepSpec spec = new SweepSpec("copy", "io", "greedy", "mor", Map.of(), List.of(), List.of(), 0, 1,
                Seeds.parse("1..3"));
        List<SweepPoint> points = SweepPlanner.points(spec);
        assertThat(points).extracting(SweepPoint::config).containsOnly(Configuration.BASE);
        assertThat(points).extracting(SweepPoint::arch).containsOnly("mor");
        assertThat(points.get(2).describe()).isEqualTo("p003 seed=3");
    }

    @Test
    void randomDrawsDependOnTheSampleSeedAloneAndStayInTheirRange() {
        List<RandomAxis> random = List.of(RandomAxis.parse("train.lr=loguniform:1e-4:1e-2"),
                RandomAxis.parse("arch.layers=int:1:4"), RandomAxis.parse("train.schedule=choice:cosine,wsd"),
                RandomAxis.parse("arch.dropout=uniform:0:0.2"));
        SweepSpec spec = new SweepSpec("copy", "io", "greedy", null, Map.of(),
                List.of(GridAxis.parse("arch=vanilla,universal")), random, 8, 42, Seeds.parse("1..2"));
        List<Configuration> first = SweepPlanner.configurations(spec);
        assertThat(SweepPlanner.configurations(spec)).as("same sample seed, same draws").isEqualTo(first);
        SweepSpec other = new SweepSpec("copy", "io", "greedy", null, Map.of(),
                List.of(GridAxis.parse("arch=vanilla,universal")), random, 8, 43, Seeds.parse("1..2"));
        assertThat(SweepPlanner.configurations(other)).as("another sample seed, other draws").isNotEqualTo(first);

        assertThat(first).hasSizeLessThanOrEqualTo(16).hasSizeGreaterThan(8);
        for (Configuration c : first) {
            double lr = Double.parseDouble(c.values().get("train.lr"));
            assertThat(lr).isBetween(1e-4, 1e-2);
            assertThat(new java.math.BigDecimal(c.values().get("train.lr")).precision())
                    .as("significant digits of " + c.values().get("train.lr")).isLessThanOrEqualTo(4);
            assertThat(Integer.parseInt(c.values().get("arch.layers"))).isBetween(1, 4);
            assertThat(c.values().get("train.schedule")).isIn("cosine", "wsd");
            assertThat(Double.parseDouble(c.values().get("arch.dropout"))).isBetween(0.0, 0.2);
        }
        // every grid point gets the same draws, in the same order, so grid values are compared on equal terms
        assertThat(first.get(0).values().get("train.lr")).isEqualTo(first.get(first.size() / 2).values()
                .get("train.lr"));
        // the draws are those of SplittableRandom(42), axis by axis, trial by trial
        SplittableRandom replay = new SplittableRandom(42);
        String lr = random.get(0).draw(replay);
        assertThat(first.get(0).values()).containsEntry("train.lr", lr)
                .containsEntry("arch.layers", random.get(1).draw(replay));
        assertThat(first.get(0).label()).startsWith("arch=vanilla train.lr=" + lr + " arch.layers=");
    }

    @Test
    void aDrawThatRepeatsAConfigurationIsKeptOnce() {
        SweepSpec spec = new SweepSpec("copy", "io", "greedy", "mor", Map.of(), List.of(),
                List.of(RandomAxis.parse("arch.layers=int:1:2")), 10, 1, List.of(1L));
        assertThat(SweepPlanner.configurations(spec)).extracting(Configuration::label)
                .containsExactlyInAnyOrder("arch.layers=1", "arch.layers=2");
    }

    @Test
    void realNumbersAreRoundedToFourSignificantDigits() {
        assertThat(RandomAxis.real(3.16227766e-4)).isEqualTo("0.0003162");
        assertThat(RandomAxis.real(0.123456)).isEqualTo("0.1235");
        assertThat(RandomAxis.real(1000.2)).isEqualTo("1000");
        assertThat(RandomAxis.real(2.5e-8)).isEqualTo("2.5E-8");
        assertThat(Double.parseDouble(RandomAxis.real(2.5e-8))).isEqualTo(2.5e-8);
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
