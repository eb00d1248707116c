package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.cli.TestDistribution.Result;

/** {@code recursa catalog serve} as a child process: it prints its URL, answers searches, and stops on a signal. */
class CatalogServeTest {

    private static final Pattern URL = Pattern.compile("Serving first-party at (http://127\\.0\\.0\\.1:\\d+/) "
            + "\\(Ctrl-C stops\\)");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        started.forEach(Process::destroyForcibly);
        TestDistribution.uninstall();
    }

    private Path repository() throws IOException {
        Path repo = Files.createDirectories(dir.resolve("first-party/jars"));
        Files.writeString(repo.resolve("org.recursa.plugins.mor-0.1.0.jar"), "jar bytes");
        Files.writeString(dir.resolve("first-party/catalog.json"), """
                {"format": 1, "name": "first-party", "version": 3, "expires": "2027-05-30T00:00:00Z",
                 "plugins": [{"bundle": "org.recursa.plugins.mor", "version": "0.1.0",
                   "path": "jars/org.recursa.plugins.mor-0.1.0.jar", "sha256": "00", "size": 9,
                   "name": "Mixture-of-Recursions", "summary": "Per-token recursion depth.",
                   "keywords": ["recursion"], "extensions": [{"kind": "architecture", "id": "mor"}]}]}
                """);
        return dir.resolve("first-party");
    }

    @Test
    void servesUntilStoppedAndAnswersSearches() throws Exception {
        Path repo = repository();
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "catalog", "serve", "--port", "0", "--dir", repo.toString())
                .redirectError(dir.resolve("serve.err").toFile()).start();
        started.add(serve);
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as(Files.readString(dir.resolve("serve.err"))).isNotNull();
        Matcher url = URL.matcher(line);
        assertThat(url.matches()).as(line).isTrue();
        URI base = URI.create(url.group(1));

        HttpResponse<String> search = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/api/search?q=recursoin")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("\"total\":1", "\"bundle\":\"org.recursa.plugins.mor\"");
        HttpResponse<String> jar = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/repo/first-party/jars/org.recursa.plugins.mor-0.1.0.jar")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(jar.body()).isEqualTo("jar bytes");

        serve.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the server
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused(base)).as("the port is closed").isTrue();
    }

    private static boolean refused(URI base) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Test
    void withoutDirOutsideADistributionItSaysWhatToGive() {
        Result result = TestDistribution.run("catalog", "serve", "--port", "0");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("recursa: no repository to serve: this recursa runs outside a "
                + "distribution; give --dir DIR\n");
    }

    @Test
    void defaultsToTheDistributionsFirstPartyRepositoryAndRefusesADirWithoutCatalog() throws IOException {
        System.setProperty(HostSession.DISTRIBUTION_PROPERTY, dir.resolve("dist").toString());
        Result none = TestDistribution.run("catalog", "serve", "--port", "0");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("recursa: no repository to serve: this distribution has no "
                + "catalog/first-party; give --dir DIR\n");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result bad = TestDistribution.run("catalog", "serve", "--port", "0", "--dir", empty.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("recursa: " + empty + " is not a catalog repository (it has no "
                + "catalog.json); give --dir a directory that `recursa catalog sign` has signed\n");

        Result port = TestDistribution.run("catalog", "serve", "--port", "70000", "--dir", empty.toString());
        assertThat(port.code()).isEqualTo(2);
        assertThat(port.err()).isEqualTo("recursa: --port 70000 is not a TCP port; expected 0 to 65535\n");
    }
}
