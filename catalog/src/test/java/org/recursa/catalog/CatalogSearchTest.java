package org.recursa.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/search} on a real server: full text, exact ids first, typos, kinds, facets, pages, bad input. */
class CatalogSearchTest {

    @TempDir
    Path dir;

    private CatalogServer server;
    private Http http;

    @BeforeEach
    void serve() throws IOException {
        server = CatalogServer.start(List.of(Repositories.firstParty(dir.resolve("first"))), "127.0.0.1", 0);
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<String> bundles(JsonNode result) {
        List<String> bundles = new ArrayList<>();
        result.get("hits").forEach(hit -> bundles.add(hit.get("bundle").asText()));
        return bundles;
    }

    @Test
    void findsEveryPluginThatMentionsTheWordInAnyTextField() throws Exception {
        JsonNode result = http.json("/api/search?q=recursion", 200);

        assertThat(result.get("total").asLong()).isEqualTo(3);
        assertThat(result.get("page").asInt()).isEqualTo(1);
        assertThat(bundles(result)).containsExactlyInAnyOrder("org.recursa.plugins.mor",
                "org.recursa.plugins.universal", "org.recursa.plugins.tasks.recursion");
        JsonNode mor = result.get("hits").get(bundles(result).indexOf("org.recursa.plugins.mor"));
        assertThat(mor.get("version").asText()).isEqualTo("0.2.0");
        assertThat(mor.get("name").asText()).isEqualTo("Mixture-of-Recursions");
        assertThat(mor.get("summary").asText()).startsWith("Routes each token");
        assertThat(mor.get("kinds").toString()).isEqualTo("[\"architecture\"]");
        assertThat(mor.get("extensions").toString()).isEqualTo("[\"mor\"]");
        assertThat(mor.get("score").asDouble()).isPositive();
        assertThat(result.get("facets").get("kind").toString()).isEqualTo("{\"architecture\":2,\"task\":1}");
        assertThat(result.get("facets").get("license").toString()).isEqualTo("{\"Apache-2.0\":2,\"MIT\":1}");
        assertThat(result.get("facets").get("author").get("Recursa").asInt()).isEqualTo(3);
        assertThat(result.get("facets").get("author").get("A. Author").asInt()).isEqualTo(1);
    }

    @Test
    void anExactExtensionIdOrBundleNameComesFirst() throws Exception {
        // universal's description says "mor" three times; the plugin whose id is mor still comes first
        assertThat(bundles(http.json("/api/search?q=mor", 200))).first().isEqualTo("org.recursa.plugins.mor");
        assertThat(bundles(http.json("/api/search?q=MOR", 200))).first().isEqualTo("org.recursa.plugins.mor");
        assertThat(bundles(http.json("/api/search?q=org.recursa.plugins.greedy", 200)))
                .first().isEqualTo("org.recursa.plugins.greedy");
        assertThat(bundles(http.json("/api/search?q=layer-tying", 200))).first()
                .isEqualTo("org.recursa.plugins.tying");
        assertThat(bundles(http.json("/api/search?q=dyck", 200)))
                .containsExactly("org.recursa.plugins.tasks.recursion");
    }

    @Test
    void toleratesTyposAndPrefixes() throws Exception {
        assertThat(bundles(http.json("/api/search?q=recursoin", 200))).contains("org.recursa.plugins.mor");
        assertThat(bundles(http.json("/api/search?q=univresal", 200)))
                .containsExactly("org.recursa.plugins.universal");
        assertThat(bundles(http.json("/api/search?q=compres", 200))).containsExactly("org.recursa.plugins.tying");
        assertThat(http.json("/api/search?q=zzzzzz", 200).get("total").asLong()).isZero();
    }

    @Test
    void everyWordMustMatch() throws Exception {
        assertThat(bundles(http.json("/api/search?q=recursion+router", 200)))
                .containsExactly("org.recursa.plugins.mor");
    }

    @Test
    void aKindNarrowsTheHitsButTheKindCountsStillOfferTheOthers() throws Exception {
        JsonNode result = http.json("/api/search?q=recursion&kind=task", 200);

        assertThat(bundles(result)).containsExactly("org.recursa.plugins.tasks.recursion");
        assertThat(result.get("total").asLong()).isEqualTo(1);
        assertThat(result.get("facets").get("kind").toString()).isEqualTo("{\"architecture\":2,\"task\":1}");
        assertThat(result.get("facets").get("license").toString()).isEqualTo("{\"MIT\":1}");
    }

    @Test
    void noQueryListsEveryPluginByBundleName() throws Exception {
        JsonNode result = http.json("/api/search", 200);

        assertThat(result.get("total").asLong()).isEqualTo(5);
        assertThat(bundles(result)).containsExactly("org.recursa.plugins.greedy", "org.recursa.plugins.mor",
                "org.recursa.plugins.tasks.recursion", "org.recursa.plugins.tying", "org.recursa.plugins.universal");
        assertThat(bundles(http.json("/api/search?kind=sampler", 200))).containsExactly("org.recursa.plugins.greedy");
    }

    @Test
    void pagesHoldTwentyHits() throws Exception {
        Repositories many = Repositories.at(dir.resolve("many"), "many");
        for (int i = 0; i < 45; i++) {
            many.plugin(String.format("org.example.p%02d", i), "1.0.0", "Plugin " + i, "A looped block.",
                    "Loops.", List.of("loop"), "MIT", List.of("Someone"), List.of(), "architecture", "p" + i);
        }
        try (CatalogServer big = CatalogServer.start(List.of(many.write()), "127.0.0.1", 0)) {
            Http client = new Http(big.uri());
            List<String> all = new ArrayList<>();
            for (int page = 1; page <= 3; page++) {
                JsonNode result = client.json("/api/search?q=loop&page=" + page, 200);
                assertThat(result.get("total").asLong()).isEqualTo(45);
                assertThat(result.get("page").asInt()).isEqualTo(page);
                all.addAll(bundles(result));
            }
            assertThat(all).hasSize(45).doesNotHaveDuplicates();
            assertThat(client.json("/api/search?q=loop&page=4", 200).get("hits").size()).isZero();
        }
    }

    @Test
    void malformedRequestsGetA400WithOneLineOfJson() throws Exception {
        assertError("/api/search?page=0", "page 0 is out of range; expected 1 to 1000");
        assertError("/api/search?page=two", "page 'two' is not a number; expected 1 to 1000");
        assertError("/api/search?page=1001", "page 1001 is out of range; expected 1 to 1000");
        assertError("/api/search?kind=model",
                "unknown kind 'model'; expected architecture, task, sampler or compressor");
        assertError("/api/search?query=mor", "unknown parameter 'query'; /api/search takes q, kind and page");
        assertError("/api/search?q=a&q=b", "parameter 'q' is given 2 times; give it once");
        assertError("/api/search?q=" + "a".repeat(201), "q is 201 characters long; at most 200");
        assertError("/api/search?q=a%01b", "q contains a control character; give plain words");
    }

    private void assertError(String path, String message) throws Exception {
        var response = http.get(path);
        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        assertThat(body).as(path).isEqualTo("{\"error\":\"" + message + "\"}");
    }
}
