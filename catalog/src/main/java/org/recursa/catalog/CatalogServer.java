package org.recursa.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
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
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final Server server;
    private final ServerConnector connector;
    private final ServedCatalog catalog;
    private final SearchIndex index;
    private final StaticFiles files;
    private final List<Repository> repositories;

    private CatalogServer(List<Repository> repositories, String host, int port) {
        this.repositories = repositories;
        Map<String, Repository> byName = new LinkedHashMap<>();
        for (Repository repository : repositories) {
            Repository clash = byName.put(repository.name(), repository);
            if (clash != null) {
                throw new CatalogException(clash.root() + " and " + repository.root() + " are both named '"
                        + repository.name() + "'; serve one of them, or give each catalog its own name");
            }
        }
        this.catalog = ServedCatalog.of(repositories);
        this.index = new SearchIndex(catalog);
        this.files = new StaticFiles(byName);
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
        if (directories.isEmpty()) {
            throw new CatalogException("no repository to serve; give at least one directory");
        }
        CatalogServer catalogServer = new CatalogServer(directories.stream().map(Repository::open).toList(),
                host, port);
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
        return repositories.stream().map(Repository::name).toList();
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
                index.close();
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
                if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                    error(response, callback, 405, method + " is not allowed here; the catalog is read with GET");
                    return true;
                }
                // decoded, so the checks below see the names a file system would (Jetty already refused ambiguous
                // encodings such as %2e%2e and %2f with a 400)
                route(request.getHttpURI().getDecodedPath(), request, response, callback);
            } catch (BadRequestException e) {
                error(response, callback, 400, e.getMessage());
            } catch (RuntimeException | IOException e) {
                error(response, callback, 500, "the catalog server failed: " + e.getMessage());
            }
            return true;
        }

        private void route(String path, Request request, Response response, Callback callback) throws IOException {
            if (path.equals("/api/search")) {
                json(response, callback, 200, index.search(SearchRequest.of(parameters(request))));
            } else if (path.startsWith("/api/plugins/")) {
                plugin(path.substring("/api/plugins/".length()), response, callback);
            } else if (path.startsWith("/repo/")) {
                Optional<Path> file = files.resolve(path.substring("/repo/".length()));
                if (file.isEmpty()) {
                    error(response, callback, 404, "no such repository file: " + path);
                } else {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, StaticFiles.contentType(file.get()));
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, java.nio.file.Files.size(file.get()));
                    Content.copy(Content.Source.from(file.get()), response, callback);
                }
            } else if (!web(path, response, callback)) {
                error(response, callback, 404, "nothing at " + path
                        + "; the catalog answers /, /api/search, /api/plugins/{id} and /repo/<name>/...");
            }
        }

        private void plugin(String id, Response response, Callback callback) throws IOException {
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
