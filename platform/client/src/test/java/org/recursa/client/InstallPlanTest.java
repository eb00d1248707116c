package org.recursa.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogException;

/** The closure of requires in dependency order, and a plain-words refusal for each way it cannot be built. */
class InstallPlanTest {

    private static Catalog.Plugin plugin(String bundle, String version, String id, String... requires) {
        return new Catalog.Plugin(bundle, version, "jars/" + bundle + "-" + version + ".jar", "00".repeat(32), 10,
                bundle, "Summary of " + bundle + ".", null, null, null, null, List.of("recursion"), null, "[1.0,2)",
                id == null ? List.of() : List.of(new Catalog.Extension("architecture", id, "desc")),
                Arrays.asList(requires));
    }

    private static VerifiedCatalog catalog(String name, Catalog.Plugin... plugins) {
        return new VerifiedCatalog(new CatalogSource(name, "/tmp/" + name, "ed25519 AAAA"),
                new Catalog(1, name, 1, "2099-01-01T00:00:00Z", null, List.of(plugins)));
    }

    private static List<String> bundles(InstallPlan plan) {
        return plan.steps().stream().map(s -> s.plugin().bundle() + "@" + s.plugin().version()).toList();
    }

    @Test
    void installsTheClosureDependenciesFirstSkippingWhatIsInstalled() {
        VerifiedCatalog a = catalog("a", plugin("top", "1.0.0", "looped", "mid", "base"),
                plugin("mid", "1.0.0", null, "base", "core"), plugin("base", "1.0.0", null),
                plugin("base", "1.2.0", null));
        VerifiedCatalog b = catalog("b", plugin("core", "2.0.0", null));
        assertThat(bundles(InstallPlan.of(List.of(a, b), "looped", null, Map.of())))
                .containsExactly("base@1.2.0", "core@2.0.0", "mid@1.0.0", "top@1.0.0");
        assertThat(bundles(InstallPlan.of(List.of(a, b), "top", null, Map.of("base", "1.0.0"))))
                .containsExactly("core@2.0.0", "mid@1.0.0", "top@1.0.0");
    }

    @Test
    void picksTheHighestVersionOrTheOneAskedFor() {
        VerifiedCatalog a = catalog("a", plugin("x", "0.9.0", "x"), plugin("x", "0.10.0", "x"),
                plugin("x", "0.1.0.SNAPSHOT", "x"));
        assertThat(bundles(InstallPlan.of(List.of(a), "x", null, Map.of()))).containsExactly("x@0.10.0");
        assertThat(bundles(InstallPlan.of(List.of(a), "x", "0.1.0-SNAPSHOT", Map.of())))
                .containsExactly("x@0.1.0.SNAPSHOT");
    }

    @Test
    void saysWhichRequirementOfWhichBundleHasNoProvider() {
        VerifiedCatalog a = catalog("a", plugin("top", "1.0.0", "looped", "mid"),
                plugin("mid", "1.0.0", null, "gone"));
        assertThatThrownBy(() -> InstallPlan.of(List.of(a), "looped", null, Map.of()))
                .isInstanceOf(CatalogException.class)
                .hasMessage("bundle mid requires bundle gone, which is neither installed nor offered by any configured "
                        + "catalog; nothing was installed");
    }

    @Test
    void refusesACycleAnUnknownIdAnAmbiguousIdAndAnInstalledBundle() {
        VerifiedCatalog cyclic = catalog("a", plugin("p", "1.0.0", "p", "q"), plugin("q", "1.0.0", null, "p"));
        assertThatThrownBy(() -> InstallPlan.of(List.of(cyclic), "p", null, Map.of()))
                .hasMessage("the requirements of p form a cycle (p -> q -> p); the catalog is inconsistent");
        VerifiedCatalog two = catalog("b", plugin("one", "1.0.0", "dup"), plugin("two", "1.0.0", "dup"));
        assertThatThrownBy(() -> InstallPlan.of(List.of(two), "dup", null, Map.of()))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessage("'dup' is offered by several bundles (one, two); install by bundle name instead");
        assertThatThrownBy(() -> InstallPlan.of(List.of(two), "nope", null, Map.of()))
                .hasMessage("no configured catalog offers an extension or bundle 'nope'; try 'recursa plugin search "
                        + "nope'");
        assertThatThrownBy(() -> InstallPlan.of(List.of(two), "one", null, Map.of("one", "1.0.0")))
                .hasMessageStartingWith("bundle one is already installed (version 1.0.0)");
    }
}
