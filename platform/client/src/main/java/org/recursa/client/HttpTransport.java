package org.recursa.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import org.recursa.repository.CatalogException;

/**
 * A repository served over HTTP (the catalog server's {@code /repo/<name>/}, or any static file server: a mirror is a
 * directory copy). Redirects are not followed: the configured URL is the one trusted for transport. A declared
 * Content-Length over the limit is refused before the body is read; a body that grows past it is cut off. A server
 * that stops sending mid-body for {@link #STALL_TIMEOUT} is cut off too (the client's request timeout only covers the
 * wait for the headers).
 */
final class HttpTransport implements Transport {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;
    private final Duration stallTimeout;

    HttpTransport(String base) {
        this(base, STALL_TIMEOUT);
    }

    HttpTransport(String base, Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
        this.base = URI.create(base.endsWith("/") ? base : base + "/");
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public byte[] read(String relative, long maxSize) {
        return get(relative, maxSize, (in, uri) -> {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSize + 1));
            if (bytes.length > maxSize) {
                throw new CatalogException(uri + ": more than the limit of " + maxSize + " bytes; refused");
            }
            return bytes;
        });
    }

    @Override
    public void download(String relative, Path target, long maxSize, LongConsumer progress) {
        get(relative, maxSize, (in, uri) -> {
            Transport.copyLimited(in, target, maxSize, uri.toString(), progress);
            return null;
        });
    }

    @Override
    public String describe() {
        return base.toString();
    }

    private interface Body<T> {
        T read(InputStream in, URI uri) throws IOException;
    }

    private <T> T get(String relative, long maxSize, Body<T> body) {
        URI uri = base.resolve(Transport.checked(relative));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new CatalogException("GET " + uri + ": HTTP " + response.statusCode());
                }
                OptionalLong length = response.headers().firstValueAsLong("Content-Length");
                if (length.isPresent() && length.getAsLong() > maxSize) {
                    throw new CatalogException(uri + ": " + length.getAsLong() + " bytes announced, more than the "
                            + "limit of " + maxSize + "; refused");
                }
                try (StallGuard guard = new StallGuard(in, stallTimeout)) {
                    try {
                        return body.read(guard.stream(), uri);
                    } catch (IOException e) {
                        if (guard.tripped()) {
                            throw new CatalogException("GET " + uri + ": the server sent nothing for "
                                    + stallTimeout.toMillis() / 1000.0 + " s; cut off", e);
                        }
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new CatalogException("GET " + uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("GET " + uri + ": interrupted", e);
        }
    }
}
