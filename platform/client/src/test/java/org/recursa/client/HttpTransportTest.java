package org.recursa.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.repository.CatalogException;

/** Downloads from a real HTTP server on loopback: progress is reported, and a stalled body is cut off. */
class HttpTransportTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/whole.jar", exchange -> {
            byte[] body = new byte[200_000];
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/stalls.jar", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            try {
                // Sends nothing more until the test ends; without the guard the download would fail only when
                // this gives up, with another message.
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void reportsProgressUpToTheWholeBody() {
        List<Long> seen = new ArrayList<>();
        new HttpTransport(base()).download("whole.jar", dir.resolve("whole.jar"), 1 << 20, seen::add);

        assertThat(seen).isNotEmpty().isSorted();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(200_000L);
        assertThat(dir.resolve("whole.jar")).hasSize(200_000);
    }

    @Test
    void cutsOffABodyThatStopsArriving() throws IOException {
        Path target = dir.resolve("stalls.jar");

        assertThatThrownBy(() -> new HttpTransport(base(), Duration.ofMillis(500)).download("stalls.jar", target,
                1 << 20, done -> { })).isInstanceOf(CatalogException.class)
                .hasMessage("GET " + base() + "stalls.jar: the server sent nothing for 0.5 s; cut off");

        assertThat(Files.size(target)).isEqualTo(10);
    }
}
