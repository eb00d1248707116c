package org.recursa.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep directories: ids, the plan written once, resuming by id, opening by prefix. */
class SweepStoreTest {

    @TempDir
    Path home;

    private final SweepSpec spec = new SweepSpec("binary-successor", "io", "greedy", null, Map.of("train.steps", "50"),
            List.of(GridAxis.parse("arch=vanilla,universal")), List.of(RandomAxis.parse("train.lr=uniform:0.001:0.01")),
            2, 7, Seeds.parse("1..3"));

    @Test
    void aNewSweepGetsARunStyleIdAndItsPlanRoundTrips() throws Exception {
        SweepStore store = SweepStore.at(home.resolve("sweeps"));
        Instant now = Instant.parse("2026-11-29T14:15:02.5Z");
        SweepStore.Created created = store.create(null, spec, now);
        assertThat(created.existed()).isFalse();
        Sweep sweep = created.sweep();
        assertThat(sweep.id()).matches("20261129-141502-binary-successor-[0-9a-f]{4}");
        assertThat(sweep.dir()).isEqualTo(home.resolve("sweeps").resolve(sweep.id()));
        assertThat(sweep.plan().points()).hasSize(12);
        String json = Files.readString(sweep.dir().resolve(SweepStore.PLAN));
        assertThat(json).contains("\"format\" : 1", "\"created_at\" : \"2026-11-29T14:15:02.500Z\"",
                "\"sample_seed\" : 7", "\"key\" : \"p012\"");
        try (var list = Files.list(sweep.dir())) {
            assertThat(list).as("nothing but the plan: no temporary file left").containsExactly(
                    sweep.dir().resolve(SweepStore.PLAN));
        }
        Sweep reopened = store.open(sweep.id());
        assertThat(reopened.plan()).isEqualTo(sweep.plan());
        assertThat(store.open(sweep.id().substring(0, 10)).id()).as("a unique prefix").isEqualTo(sweep.id());
        assertThat(store.ids()).containsExactly(sweep.id());
    }

    @Test
    void theSameIdWithTheSamePointsResumesAndWithOtherPointsIsRefused() {
        SweepStore store = SweepStore.at(home.resolve("sweeps"));
        Sweep first = store.create("lr-search", spec, Instant.parse("2026-11-29T10:00:00Z")).sweep();
        SweepStore.Created again = store.create("lr-search", spec, Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(again.existed()).isTrue();
        assertThat(again.sweep().plan()).as("the plan is written once: the first one stays").isEqualTo(first.plan());

        SweepSpec more = new SweepSpec("binary-successor", "io", "greedy", null, Map.of("train.steps", "50"),
                spec.grid(), spec.random(), 2, 7, Seeds.parse("1..4"));
        assertThatThrownBy(() -> store.create("lr-search", more, Instant.now())).isInstanceOf(SweepException.class)
                .hasMessage("sweep lr-search exists and plans other points; resume it with 'recursa sweep resume "
                        + "lr-search' or give another --id");
        assertThatThrownBy(() -> store.create("../x", spec, Instant.now())).isInstanceOf(SweepSyntaxException.class)
                .hasMessageStartingWith("--id '../x': use letters, digits");
    }

    @Test
    void unknownIdsAndAmbiguousPrefixesSayWhatThereIs() {
        SweepStore store = SweepStore.at(home.resolve("sweeps"));
        assertThatThrownBy(() -> store.open("nope")).isInstanceOf(UnknownSweepException.class)
                .hasMessage("unknown sweep 'nope'; there are no sweeps in " + home.resolve("sweeps"));
        store.create("a-1", spec, Instant.now());
        store.create("a-2", spec, Instant.now());
        assertThatThrownBy(() -> store.open("a-")).isInstanceOf(UnknownSweepException.class)
                .hasMessage("sweep id prefix 'a-' matches 2 sweeps, e.g. a-1, a-2; give more of the id");
        assertThatThrownBy(() -> store.open("b")).hasMessage("unknown sweep 'b'; 2 sweeps in "
                + home.resolve("sweeps") + ", newest: a-1, a-2");
        assertThatThrownBy(() -> store.open("a-1").plan().point("p999"))
                .hasMessage("sweep a-1 has no point 'p999'; its points are p001 to p012");
    }
}
