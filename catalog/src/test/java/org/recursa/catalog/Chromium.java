package org.recursa.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the Chrome DevTools protocol (its WebSocket, with the JDK's client): load a
 * page, evaluate JavaScript, type, press keys, click at an element's place and take screenshots. No Selenium or
 * chromedriver: the browser binary alone, started with {@code --remote-debugging-port=0} on loopback.
 */
final class Chromium implements AutoCloseable {

    /** Debian's path; another binary can be named with {@code -Drecursa.test.chromium=...}. */
    static final Path BINARY = Path.of(System.getProperty("recursa.test.chromium", "/usr/bin/chromium"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path log, WebSocket socket) {
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /** Starts the browser with a fresh profile in {@code dir} and attaches to its one tab. */
    static Chromium start(Path dir, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(dir.resolve("profile"));
        Path log = dir.resolve("chromium.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = port(profile.resolve("DevToolsActivePort"), process, log);
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode target : targets) {
                if (target.path("type").asText().equals("page")) {
                    page = target.get("webSocketDebuggerUrl").asText();
                }
            }
            if (page == null) {
                throw new AssertionError("chromium has no page to drive: " + targets);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), listener)
                    .get(STEP.toSeconds(), TimeUnit.SECONDS);
            Chromium chromium = new Chromium(process, log, socket);
            listener.chromium = chromium;
            // --window-size includes the window's frame; the page's viewport is set exactly, for screenshots
            chromium.send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", false));
            return chromium;
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e instanceof AssertionError a ? a : new AssertionError("could not drive chromium: " + e
                    + "\n" + tail(log), e);
        }
    }

    /** The port chromium writes to its profile once it listens (it chose a free one). */
    private static int port(Path file, Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= 2) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ":\n" + tail(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("chromium did not open its debugging port in " + STEP.toSeconds() + " s:\n"
                + tail(log));
    }

    /** Sends one protocol command and waits for its result. */
    JsonNode send(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(JSON.writeValueAsString(message), true).get(STEP.toSeconds(), TimeUnit.SECONDS);
            JsonNode response = answer.get(STEP.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new AssertionError(method + " failed: " + response.get("error"));
            }
            return response.get("result");
        } catch (Exception e) {
            throw new AssertionError(method + " got no answer: " + e + "\n" + tail(log), e);
        } finally {
            pending.remove(id);
        }
    }

    void navigate(URI uri) {
        send("Page.navigate", Map.of("url", uri.toString()));
    }

    /** The value of a JavaScript expression in the page (promises awaited). */
    JsonNode eval(String expression) {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError(expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits until the JavaScript condition is true; fails with {@code what} and the page's text otherwise. */
    void waitFor(String condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        // false while the page is still loading (its elements absent) or being replaced by a navigation
        String guarded = "(() => { try { return Boolean(" + condition + "); } catch (e) { return false; } })()";
        while (System.nanoTime() < deadline) {
            try {
                if (eval(guarded).asBoolean()) {
                    return;
                }
            } catch (AssertionError e) {
                // the execution context went away with the old document: ask the new one
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the page did not show " + what + " in " + STEP.toSeconds() + " s; it shows:\n"
                + eval("document.body.innerText").asText());
    }

    /** Types text into the focused element as a user would (key events per character are not needed). */
    void type(String text) {
        send("Input.insertText", Map.of("text", text));
    }

    void pressEnter() {
        for (String type : List.of("keyDown", "keyUp")) {
            send("Input.dispatchKeyEvent", Map.of("type", type, "key", "Enter", "code", "Enter",
                    "windowsVirtualKeyCode", 13, "nativeVirtualKeyCode", 13, "text", "\r"));
        }
    }

    /** A left click in the middle of the first element matching {@code selector}, where it is on screen. */
    void click(String selector) {
        JsonNode box = eval("(() => { const e = document.querySelector(" + quote(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'center'});"
                + " const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        if (box.isNull() || box.isMissingNode()) {
            throw new AssertionError("nothing to click: no element matches " + selector);
        }
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(),
                    "y", box.get("y").asDouble(), "button", "left", "clickCount", 1));
        }
    }

    /** A PNG of the viewport, written to {@code file}. */
    Path screenshot(Path file) throws IOException {
        byte[] png = Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png"))
                .get("data").asText());
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, png);
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.abort();
        // its renderer and helper processes too, so none still writes to the profile when the test deletes it
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            helper.destroy();
            helper.onExit().completeOnTimeout(helper, 5, TimeUnit.SECONDS).join();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Collects each message's parts and hands answers to the command that waits for them; events are ignored. */
    private static final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();
        private volatile Chromium chromium;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> answer = message.has("id") && chromium != null
                            ? chromium.pending.get(message.get("id").asInt()) : null;
                    if (answer != null) {
                        answer.complete(message);
                    }
                } catch (IOException e) {
                    // not JSON: the protocol only sends JSON, so nothing waits for this
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
