package org.recursa.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The catalog server: the repositories' files under {@code /repo/<name>/}, {@code GET /api/search} and
 * {@code GET /api/plugins/{id}} as JSON, and the web page at {@code /}. Errors are JSON with one line,
 * {@code {"error": "..."}}: 400 for a malformed request, 404 for an unknown plugin or file.
 */
public final class CatalogServer implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String PUBLISH = "/api/publish";
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final Server server;
    private final ServerConnector connector;
    private final List<Path> roots;
    private final RepositoryPublisher publisher;
    private final PublishSettings publishing;
    /** Replaced whole after a publish, so a request sees one consistent catalog, index and file set. */
    private volatile State state;

    /** What the server answers from: the repositories as last read, their search index and files. */
    private record State(List<Repository> repositories, Map<String, Repository> byName, ServedCatalog catalog,
            SearchIndex index, StaticFiles files) {

        static State of(List<Repository> repositories) {
            Map<String, Repository> byName = new LinkedHashMap<>();
            for (Repository repository : repositories) {
                Repository clash = byName.put(repository.name(), repository);
                if (clash != null) {
                    throw new CatalogException(clash.root() + " and " + repository.root() + " are both named '"
                            + repository.name() + "'; serve one of them, or give each catalog its own name");
                }
            }
            ServedCatalog catalog = ServedCatalog.of(repositories);
            return new State(repositories, byName, catalog, new SearchIndex(catalog), new StaticFiles(byName));
        }
    }

    private CatalogServer(List<Path> roots, String host, int port, PublishSettings publishing) {
        this.roots = roots;
        this.state = State.of(roots.stream().map(Repository::open).toList());
        this.publisher = publishing == null ? null : new RepositoryPublisher(publishing);
        this.publishing = publishing;
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("recursa-catalog");
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes());
    }

    /**
     * Reads the repositories' catalog.json, indexes them and starts listening.
     *
     * @param port 0 for any free port (see {@link #uri()})
     */
    public static CatalogServer start(List<Path> directories, String host, int port) {
        return start(directories, host, port, null);
    }

    /**
     * As {@link #start(List, String, int)}, and with {@code publishing} (null: none) accepts bundles at
     * {@code POST /api/publish/<name>}.
     */
    public static CatalogServer start(List<Path> directories, String host, int port, PublishSettings publishing) {
        if (directories.isEmpty()) {
            throw new CatalogException("no repository to serve; give at least one directory");
        }
        CatalogServer catalogServer = new CatalogServer(directories.stream()
                .map(d -> d.toAbsolutePath().normalize()).toList(), host, port, publishing);
        try {
            catalogServer.server.start();
        } catch (Exception e) {
            catalogServer.close();
            throw new CatalogException("could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return catalogServer;
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8417/}. */
    public URI uri() {
        String host = connector.getHost() == null ? "localhost" : connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + connector.getLocalPort() + "/");
    }

    /** The names the repositories are served under ({@code /repo/<name>/}), in the order given. */
    public List<String> repositoryNames() {
        return state.repositories().stream().map(Repository::name).toList();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new CatalogException("the catalog server did not stop cleanly: " + e.getMessage(), e);
        } finally {
            try {
                state.index().close();
            } catch (IOException e) {
                // an in-memory index: nothing is left behind
            }
        }
    }

    private final class Routes extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            try {
                String method = request.getMethod();
                String path = request.getHttpURI().getDecodedPath();
                if (path.equals(PUBLISH) || path.startsWith(PUBLISH + "/")) {
                    publish(path, request, response, callback);
                    return true;
                }
                if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                    error(response, callback, 405, method + " is not allowed here; the catalog is read with GET");
                    return true;
                }
                // decoded, so the checks below see the names a file system would (Jetty already refused ambiguous
                // encodings such as %2e%2e and %2f with a 400)
                route(path, request, response, callback);
            } catch (PublishRejected e) {
                error(response, callback, e.status(), e.getMessage());
            } catch (BadRequestException e) {
                error(response, callback, 400, e.getMessage());
            } catch (RuntimeException | IOException e) {
                error(response, callback, 500, "the catalog server failed: " + e.getMessage());
            }
            return true;
        }

        private void route(String path, Request request, Response response, Callback callback) throws IOException {
            State state = CatalogServer.this.state;
            if (path.equals("/api/search")) {
                json(response, callback, 200, state.index().search(SearchRequest.of(parameters(request))));
            } else if (path.startsWith("/api/plugins/")) {
                plugin(state.catalog(), path.substring("/api/plugins/".length()), response, callback);
            } else if (path.startsWith("/repo/")) {
                Optional<Path> file = state.files().resolve(path.substring("/repo/".length()));
                if (file.isEmpty()) {
                    error(response, callback, 404, "no such repository file: " + path);
                } else {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, StaticFiles.contentType(file.get()));
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(file.get()));
                    Content.copy(Content.Source.from(file.get()), response, callback);
                }
            } else if (!web(path, response, callback)) {
                error(response, callback, 404, "nothing at " + path
                        + "; the catalog answers /, /api/search, /api/plugins/{id} and /repo/<name>/...");
            }
        }

        private void plugin(ServedCatalog catalog, String id, Response response, Callback callback)
                throws IOException {
            if (!ID.matcher(id).matches()) {
                throw new BadRequestException("'" + id + "' is not a plugin id; expected an extension id or a "
                        + "bundle symbolic name (letters, digits, '.', '_', '-')");
            }
            Optional<CatalogEntry> entry = catalog.bundle(id);
            if (entry.isEmpty()) {
                List<CatalogEntry> providers = catalog.providersOf(id);
                if (providers.size() > 1) {
                    error(response, callback, 409, "extension id '" + id + "' is offered by "
                            + providers.stream().map(CatalogEntry::bundle).toList() + "; ask for one bundle by name");
                    return;
                }
                entry = providers.stream().findFirst();
            }
            if (entry.isEmpty()) {
                error(response, callback, 404, "no plugin '" + id + "' in the catalog; search with /api/search?q="
                        + id);
                return;
            }
            json(response, callback, 200, PluginDetail.of(entry.get(), id, catalog));
        }

        /**
         * {@code POST /api/publish/<name>}: the body is a bundle jar, added to that repository if the bearer token is
         * the server's and the bundle passes the checks; 404 when this server does not publish.
         */
        private void publish(String path, Request request, Response response, Callback callback) throws IOException {
            if (publisher == null) {
                error(response, callback, 404, "publishing is not enabled on this server; start it with "
                        + "--publish-token-file and --signing-key");
                return;
            }
            if (!HttpMethod.POST.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                error(response, callback, 405, request.getMethod() + " is not allowed here; POST a bundle jar to "
                        + PUBLISH + "/<repository name>");
                return;
            }
            String name = path.length() > PUBLISH.length() ? path.substring(PUBLISH.length() + 1) : "";
            if (!publishing.accepts(bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION)))) {
                // before anything else is told or read: a caller without the token learns nothing
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                error(response, callback, 401, "missing or wrong publish token; send 'Authorization: Bearer <token>'");
                return;
            }
            Repository repository = state.byName().get(name);
            if (repository == null) {
                error(response, callback, 404, "no repository '" + name + "' on this server; it serves "
                        + state.byName().keySet());
                return;
            }
            long limit = publishing.maxUploadBytes();
            long length = request.getLength();
            if (length > limit) {
                error(response, callback, 413, "the upload has " + length + " bytes, more than the limit of " + limit);
                return;
            }
            Path upload = Files.createTempFile("recursa-publish-", ".jar");
            try {
                long received;
                try (InputStream in = Content.Source.asInputStream(request);
                     OutputStream out = Files.newOutputStream(upload)) {
                    received = copy(in, out, limit);
                }
                if (received > limit) {
                    error(response, callback, 413, "the upload is larger than the limit of " + limit + " bytes");
                    return;
                }
                RepositoryPublisher.Published published = publisher.publish(repository.root(), upload);
                reload();
                json(response, callback, 200, published);
            } finally {
                Files.deleteIfExists(upload);
            }
        }

        /** The web page's files, from this module's resources; false if there is none at this path. */
        private boolean web(String path, Response response, Callback callback) throws IOException {
            String name = path.equals("/") ? "index.html" : path.substring(1);
            if (!WebPage.NAMES.containsKey(name)) {
                return false;
            }
            try (InputStream in = CatalogServer.class.getResourceAsStream("web/" + name)) {
                if (in == null) {
                    return false;
                }
                byte[] bytes = in.readAllBytes();
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, WebPage.NAMES.get(name));
                response.write(true, ByteBuffer.wrap(bytes), callback);
                return true;
            }
        }
    }

    /** Reads the repositories again and swaps in a new search index; the old one is left to the collector. */
    private synchronized void reload() {
        // not closed: a search that started on it may still be reading; it is in memory only
        state = State.of(roots.stream().map(Repository::open).toList());
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null for none or another scheme. */
    private static String bearer(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    /** Copies at most {@code limit + 1} bytes; more than {@code limit} returned means the body was too large. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > limit) {
                return total;
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private static Map<String, List<String>> parameters(Request request) {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            throw new BadRequestException("the query string is not valid URL encoding: " + e.getMessage());
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (Fields.Field field : fields) {
            parameters.put(field.getName(), field.getValues());
        }
        return parameters;
    }

    private static void json(Response response, Callback callback, int status, Object body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
    }

    private static void error(Response response, Callback callback, int status, String message) {
        try {
            json(response, callback, status, Map.of("error", message.lines().findFirst().orElse(message)));
        } catch (IOException e) {
            callback.failed(e);
        }
    }
}
