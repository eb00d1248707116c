package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogVerifier;
import org.recursa.repository.Ed25519Keys;

/** The first-party repository the build assembled and signed, which the distribution ships as catalog/first-party. */
class FirstPartyCatalogTest {

    @Test
    void everyBundleIsListedWithItsExtensionsVerifiedAgainstTheShippedKey() {
        Path repo = Path.of(System.getProperty("recursa.first.party.repository"));
        Path key = Path.of(System.getProperty("recursa.first.party.key"));
        Catalog catalog = new CatalogVerifier(Ed25519Keys.readPublic(key)).verify(repo, 0, Instant.now());

        assertThat(catalog.name()).isEqualTo("recursa-first-party");
        assertThat(catalog.plugins()).hasSize(17);
        for (Catalog.Plugin plugin : catalog.plugins()) {
            CatalogVerifier.checkFile(repo, plugin.path(), plugin.sha256(), plugin.size(), 64L << 20);
            assertThat(plugin.extensions()).as(plugin.bundle()).isNotEmpty();
            assertThat(plugin.summary()).as(plugin.bundle()).isNotBlank();
            assertThat(plugin.license()).as("%s: the project states no licence yet, so its bundles claim none",
                    plugin.bundle()).isNull();
            assertThat(plugin.keywords()).as(plugin.bundle()).isNotEmpty();
            assertThat(plugin.api()).as(plugin.bundle()).isEqualTo("[1.0,2)");
        }
        Catalog.Plugin mor = catalog.plugins().stream().filter(p -> p.bundle().equals("recursa-arch-mor")).findFirst()
                .orElseThrow();
        assertThat(mor.paper().url()).isEqualTo("https://arxiv.org/abs/2507.10524");
        assertThat(mor.extensions()).extracting(Catalog.Extension::kind, Catalog.Extension::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("architecture", "mor"));
    }
}
