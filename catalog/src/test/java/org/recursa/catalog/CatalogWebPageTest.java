package org.recursa.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web page's files are served at / with their types; CatalogBrowserTest drives the page in Chromium. */
class CatalogWebPageTest {

    @TempDir
    Path dir;

    @Test
    void servesThePageItsScriptAndStyle() throws Exception {
        try (CatalogServer server = CatalogServer.start(List.of(Repositories.firstParty(dir.resolve("first"))),
                "127.0.0.1", 0)) {
            Http http = new Http(server.uri());
            HttpResponse<byte[]> page = http.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(new String(page.body(), StandardCharsets.UTF_8))
                    .contains("<input id=\"q\"", "<script src=\"/catalog.js\">", "href=\"/catalog.css\"");
            HttpResponse<byte[]> script = http.get("/catalog.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
            assertThat(new String(script.body(), StandardCharsets.UTF_8)).contains("/api/search?", "/api/plugins/");
            assertThat(http.get("/catalog.css").statusCode()).isEqualTo(200);
            assertThat(http.json("/index.htm", 404).get("error").asText()).startsWith("nothing at /index.htm");
        }
    }
}
