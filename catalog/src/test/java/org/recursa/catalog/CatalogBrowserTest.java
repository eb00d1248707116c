package org.recursa.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real headless Chromium against a real server on loopback: a user types a query into the search
 * box, sees the matching plugins, clicks one and reads its install command, versions and paper. Screenshots of each
 * step are kept in target/browser/. Needs {@code /usr/bin/chromium} (Debian's {@code chromium} package); skipped,
 * with a message saying so, without it.
 */
class CatalogBrowserTest {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 900;
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "browser");

    @TempDir
    Path dir;

    @Test
    void aUserSearchesOpensAPluginAndReadsHowToInstallIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Chromium.BINARY), "skipped: " + Chromium.BINARY
                + " not found; install Debian's chromium package to run the browser test");
        Path first = Repositories.firstParty(dir.resolve("first"));
        Path archive = Repositories.at(dir.resolve("archive"), "archive")
                .plugin("org.recursa.plugins.mor", "0.1.0", "Mixture-of-Recursions", "An older router.",
                        "The first release.", List.of("recursion"), "Apache-2.0", List.of("Recursa"), List.of(),
                        "architecture", "mor")
                .write();
        try (CatalogServer server = CatalogServer.start(List.of(first, archive), "127.0.0.1", 0);
             Chromium chromium = Chromium.start(dir.resolve("chromium"), WIDTH, HEIGHT)) {
            chromium.navigate(server.uri());
            chromium.waitFor("document.getElementById('summary').textContent === '5 plugins'", "all 5 plugins");

            chromium.eval("document.getElementById('q').focus()");
            chromium.type("recursion");
            chromium.pressEnter();
            chromium.waitFor("location.hash === '#/?q=recursion'"
                    + " && document.getElementById('summary').textContent === '3 plugins'", "3 hits for recursion");
            assertThat(texts(chromium, "#results .hit-name")).containsExactlyInAnyOrder("Mixture-of-Recursions",
                    "Universal Transformer", "Recursion tasks");
            assertThat(texts(chromium, "#kinds a")).containsExactly("all", "architecture (2)", "task (1)",
                    "sampler (0)", "compressor (0)");
            assertThat(chromium.eval("document.getElementById('q').value").asText()).isEqualTo("recursion");
            assertRendered(chromium.screenshot(SCREENSHOTS.resolve("1-search-recursion.png")));

            chromium.click("#results a[href='#/plugin/org.recursa.plugins.mor']");
            chromium.waitFor("location.hash === '#/plugin/org.recursa.plugins.mor'"
                    + " && !document.getElementById('plugin-view').hidden"
                    + " && document.getElementById('install')", "the plugin page of mor");
            assertThat(text(chromium, "#plugin-name")).isEqualTo("Mixture-of-Recursions");
            assertThat(text(chromium, "#install")).isEqualTo("recursa plugin install org.recursa.plugins.mor");
            assertThat(texts(chromium, "#versions tr td:first-child")).containsExactly("0.2.0", "0.1.0");
            assertThat(texts(chromium, "#versions tr td:nth-child(2)")).containsExactly("first-party", "archive");
            assertThat(chromium.eval("document.querySelector('#versions a').getAttribute('href')").asText())
                    .isEqualTo("/repo/first-party/jars/org.recursa.plugins.mor-0.2.0.jar");
            assertThat(text(chromium, "#paper")).isEqualTo("Mixture-of-Recursions: the paper");
            assertThat(chromium.eval("document.getElementById('paper').href").asText())
                    .isEqualTo("https://arxiv.org/abs/org.recursa.plugins.mor");
            assertThat(texts(chromium, "#requires a")).containsExactly("Universal Transformer");
            assertThat(chromium.eval("document.title").asText())
                    .isEqualTo("Mixture-of-Recursions — Recursa plugin catalog");
            assertThat(chromium.eval("document.getElementById('error').hidden").asBoolean()).isTrue();
            assertRendered(chromium.screenshot(SCREENSHOTS.resolve("2-plugin-mor.png")));

            // a link to a plugin page by extension id, and a dependency outside the catalog
            chromium.navigate(server.uri().resolve("/#/plugin/layer-tying"));
            chromium.waitFor("document.getElementById('install')"
                    + " && document.getElementById('install').textContent.endsWith('layer-tying')", "tying's page");
            assertThat(text(chromium, "#install")).isEqualTo("recursa plugin install layer-tying");
            assertThat(text(chromium, "#requires")).isEqualTo("org.recursa.plugins.missing (not in this catalog)");
            assertRendered(chromium.screenshot(SCREENSHOTS.resolve("3-plugin-layer-tying.png")));

            chromium.navigate(server.uri().resolve("/#/plugin/nothing-here"));
            chromium.waitFor("!document.getElementById('error').hidden", "the error for an unknown plugin");
            assertThat(text(chromium, "#error")).startsWith("no plugin 'nothing-here' in the catalog");
        }
    }

    private static String text(Chromium chromium, String selector) {
        return chromium.eval("document.querySelector(" + Chromium.quote(selector) + ").textContent").asText();
    }

    private static List<String> texts(Chromium chromium, String selector) {
        List<String> texts = new java.util.ArrayList<>();
        chromium.eval("[...document.querySelectorAll(" + Chromium.quote(selector) + ")].map(e => e.textContent)")
                .forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** The screenshot has the window's size and is not blank: text and the page's styling were drawn. */
    private static void assertRendered(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).as(png.toString()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).as(png.toString()).isEqualTo(HEIGHT);
        int nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                nonWhite += (image.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
            }
        }
        assertThat(nonWhite).as("non-white pixels in " + png).isGreaterThan(WIDTH * HEIGHT / 200);
    }
}
