package org.recursa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the page from disk in a real headless browser and checks that it renders: a screenshot that is not blank and
 * shows the charts' series colours (which only the inlined SVGs draw). Needs {@code /usr/bin/chromium} (Debian's
 * {@code chromium} package); skipped, with a message saying so, without it.
 */
class BrowserTest {

    /** Debian's path; another browser binary can be named with {@code -Drecursa.test.chromium=...}. */
    private static final Path CHROMIUM = Path.of(System.getProperty("recursa.test.chromium", "/usr/bin/chromium"));
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 2000;

    @TempDir
    Path tmp;

    @Test
    void thePageRendersOffline() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "skipped: " + CHROMIUM + " not found; install Debian's chromium package to run the browser check");
        Path runs = tmp.resolve("runs");
        Report report = ReportWriter.write(List.of(RunFixture.run("vanilla").skill(0.3).writeTo(runs),
                RunFixture.run("mor").skill(0.6).withDepth().writeTo(runs)), tmp.resolve("report"));
        Path screenshot = tmp.resolve("screenshot.png");
        Path log = tmp.resolve("chromium.log");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile"), "--screenshot=" + screenshot,
                "--window-size=" + WIDTH + "," + HEIGHT, report.index().toUri().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s; its output:\n" + tail(log));
        }
        assertThat(screenshot).as("screenshot; chromium said:\n%s", tail(log)).isRegularFile();

        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        int nonWhite = 0;
        int seriesBlue = 0; // the first run's colour, rgb(0,114,178): table swatch and chart lines
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                nonWhite += rgb != 0xffffff ? 1 : 0;
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                seriesBlue += r < 30 && Math.abs(g - 114) < 25 && Math.abs(b - 178) < 25 ? 1 : 0;
            }
        }
        assertThat(nonWhite).as("non-white pixels").isGreaterThan(WIDTH * HEIGHT / 100);
        assertThat(seriesBlue).as("pixels in the first run's series colour").isGreaterThan(500);
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
