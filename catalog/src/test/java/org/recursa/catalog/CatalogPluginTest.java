package org.recursa.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/plugins/{id}} over two repositories: versions from both, dependencies, install command. */
class CatalogPluginTest {

    @TempDir
    Path dir;

    private CatalogServer server;
    private Http http;

    @BeforeEach
    void serve() throws Exception {
        Path first = Repositories.firstParty(dir.resolve("first"));
        Path older = Repositories.at(dir.resolve("archive"), "archive")
                .plugin("org.recursa.plugins.mor", "0.1.0", "Mixture-of-Recursions (old)", "Old.", "Old.",
                        List.of(), "Apache-2.0", List.of("Recursa"), List.of(), "architecture", "mor")
                .plugin("org.recursa.plugins.mor", "0.10.0", "Mixture-of-Recursions (newest)", "New.", "New.",
                        List.of(), "Apache-2.0", List.of("Recursa"), List.of("org.recursa.plugins.universal"),
                        "architecture", "mor")
                .plugin("org.other.mor", "1.0.0", "Another", "Claims an id that exists.", "x", List.of(), "MIT",
                        List.of("X"), List.of(), "task", "parity")
                .write();
        server = CatalogServer.start(List.of(first, older), "127.0.0.1", 0);
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void byExtensionIdListsEveryVersionNewestFirstWithItsRepositoryAndUrl() throws Exception {
        JsonNode mor = http.json("/api/plugins/mor", 200);

        assertThat(mor.get("bundle").asText()).isEqualTo("org.recursa.plugins.mor");
        assertThat(mor.get("name").asText()).isEqualTo("Mixture-of-Recursions (newest)");
        assertThat(mor.get("install").asText()).isEqualTo("recursa plugin install mor");
        JsonNode versions = mor.get("versions");
        assertThat(versions.size()).isEqualTo(3);
        assertThat(List.of(versions.get(0).get("version").asText(), versions.get(1).get("version").asText(),
                versions.get(2).get("version").asText())).containsExactly("0.10.0", "0.2.0", "0.1.0");
        assertThat(versions.get(1).get("repository").asText()).isEqualTo("first-party");
        assertThat(versions.get(1).get("url").asText())
                .isEqualTo("/repo/first-party/jars/org.recursa.plugins.mor-0.2.0.jar");
        assertThat(http.get(versions.get(1).get("url").asText()).statusCode()).isEqualTo(200);
        assertThat(versions.get(0).get("requires").toString()).isEqualTo("[\"org.recursa.plugins.universal\"]");
        assertThat(mor.get("requires").toString()).isEqualTo(
                "[{\"bundle\":\"org.recursa.plugins.universal\",\"name\":\"Universal Transformer\","
                        + "\"available\":true}]");
        assertThat(mor.get("kinds").toString()).isEqualTo("[\"architecture\"]");
        assertThat(mor.get("extensions").get(0).get("id").asText()).isEqualTo("mor");
    }

    @Test
    void byBundleNameWithPaperAndWhatRequiresIt() throws Exception {
        JsonNode universal = http.json("/api/plugins/org.recursa.plugins.universal", 200);

        assertThat(universal.get("install").asText()).isEqualTo("recursa plugin install org.recursa.plugins.universal");
        assertThat(universal.get("paper").get("title").asText()).isEqualTo("Universal Transformer: the paper");
        assertThat(universal.get("paper").get("url").asText())
                .isEqualTo("https://arxiv.org/abs/org.recursa.plugins.universal");
        assertThat(universal.get("requiredBy").toString()).isEqualTo("[\"org.recursa.plugins.mor\"]");
        assertThat(universal.get("license").asText()).isEqualTo("Apache-2.0");
    }

    @Test
    void aDependencyNoRepositoryHoldsIsMarkedUnavailable() throws Exception {
        JsonNode tying = http.json("/api/plugins/layer-tying", 200);

        assertThat(tying.get("requires").toString()).isEqualTo(
                "[{\"bundle\":\"org.recursa.plugins.missing\",\"name\":null,\"available\":false}]");
    }

    @Test
    void unknownAmbiguousAndMalformedIds() throws Exception {
        assertThat(http.json("/api/plugins/nothing-here", 404).get("error").asText())
                .isEqualTo("no plugin 'nothing-here' in the catalog; search with /api/search?q=nothing-here");
        assertThat(http.json("/api/plugins/parity", 409).get("error").asText()).isEqualTo("extension id 'parity' is "
                + "offered by [org.other.mor, org.recursa.plugins.tasks.recursion]; ask for one bundle by name");
        assertThat(http.json("/api/plugins/bad%20id", 400).get("error").asText()).isEqualTo("'bad id' is not a "
                + "plugin id; expected an extension id or a bundle symbolic name (letters, digits, '.', '_', '-')");
    }
}
